"""Authenticated encryption envelopes (AES-256-GCM).

Two shapes:

* a *record* envelope for values that fit in memory: ``MAGIC | 0x01 | nonce(12) | ciphertext+tag``;
* a *stream* envelope for large blobs, sealed in chunks (the STREAM construction): a random
  per-blob salt derives a per-blob subkey with HKDF, and chunk *i* uses the nonce
  ``i (11 bytes, big-endian) | final-flag (1 byte)``. Reordered chunks fail (the index is in the
  nonce), a dropped tail fails (the new last chunk was not sealed as final), flipped bits fail (tag).

Both bind *associated data* — key id, key version, record id and any row metadata the caller
wants protected — so a ciphertext moved to another row, key or version does not open.
Every failure raises :class:`IntegrityError` naming the record id, never its content.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..errors import IntegrityError

MAGIC = b"SLv1"
RECORD = 0x01
STREAM = 0x02
KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
DEFAULT_CHUNK = 64 * 1024
_STREAM_SALT = 16
_STREAM_HEADER = len(MAGIC) + 1 + 4 + _STREAM_SALT


def new_key() -> bytes:
    """A fresh random 256-bit key."""
    return os.urandom(KEY_BYTES)


def associated_data(key_id: str, key_version: int, record_id: str, extra: Mapping[str, object] | None = None) -> bytes:
    """Canonical bytes for the AEAD associated data (sorted-key JSON, so it is stable)."""
    fields: dict[str, object] = dict(extra or {})
    fields.update({"key_id": key_id, "key_version": key_version, "record_id": record_id})
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def _fail(record_id: str, why: str) -> IntegrityError:
    return IntegrityError(f"record {record_id} failed authentication ({why}); it was altered or corrupted")


def seal(key: bytes, plaintext: bytes, *, key_id: str, key_version: int, record_id: str,
         extra: Mapping[str, object] | None = None) -> bytes:
    """Encrypt one value with a random nonce."""
    nonce = os.urandom(NONCE_BYTES)
    aad = associated_data(key_id, key_version, record_id, extra)
    return MAGIC + bytes([RECORD]) + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def open_sealed(key: bytes, envelope: bytes, *, key_id: str, key_version: int, record_id: str,
                extra: Mapping[str, object] | None = None) -> bytes:
    """Decrypt a record envelope or raise IntegrityError naming ``record_id``."""
    head = len(MAGIC) + 1
    if len(envelope) < head + NONCE_BYTES + TAG_BYTES or envelope[: len(MAGIC)] != MAGIC:
        raise _fail(record_id, "not an envelope")
    if envelope[len(MAGIC)] != RECORD:
        raise _fail(record_id, "wrong envelope type")
    nonce = envelope[head : head + NONCE_BYTES]
    aad = associated_data(key_id, key_version, record_id, extra)
    try:
        return AESGCM(key).decrypt(nonce, envelope[head + NONCE_BYTES :], aad)
    except InvalidTag:
        raise _fail(record_id, "tag mismatch") from None


def _stream_key(key: bytes, salt: bytes, aad: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=b"sessionlens-stream-v1" + aad).derive(key)


def _chunk_nonce(index: int, final: bool) -> bytes:
    return index.to_bytes(NONCE_BYTES - 1, "big") + (b"\x01" if final else b"\x00")


def seal_stream(key: bytes, plaintext: bytes, *, key_id: str, key_version: int, record_id: str,
                extra: Mapping[str, object] | None = None, chunk_size: int = DEFAULT_CHUNK) -> bytes:
    """Encrypt a large value in chunks; the last chunk carries the final flag."""
    if chunk_size < 1:
        raise ValueError("chunk_size must be positive")
    salt = os.urandom(_STREAM_SALT)
    header = MAGIC + bytes([STREAM]) + chunk_size.to_bytes(4, "big") + salt
    aad = associated_data(key_id, key_version, record_id, extra) + header
    aead = AESGCM(_stream_key(key, salt, aad))
    pieces = [header]
    count = max(1, -(-len(plaintext) // chunk_size))
    for i in range(count):
        chunk = plaintext[i * chunk_size : (i + 1) * chunk_size]
        pieces.append(aead.encrypt(_chunk_nonce(i, i == count - 1), chunk, aad))
    return b"".join(pieces)


def open_stream(key: bytes, envelope: bytes, *, key_id: str, key_version: int, record_id: str,
                extra: Mapping[str, object] | None = None) -> bytes:
    """Decrypt a stream envelope; truncation, reordering and bit flips raise IntegrityError."""
    if len(envelope) < _STREAM_HEADER + TAG_BYTES or envelope[: len(MAGIC)] != MAGIC:
        raise _fail(record_id, "not a stream envelope")
    if envelope[len(MAGIC)] != STREAM:
        raise _fail(record_id, "wrong envelope type")
    header = envelope[:_STREAM_HEADER]
    chunk_size = int.from_bytes(header[len(MAGIC) + 1 : len(MAGIC) + 5], "big")
    if chunk_size < 1:
        raise _fail(record_id, "bad chunk size")
    salt = header[-_STREAM_SALT:]
    aad = associated_data(key_id, key_version, record_id, extra) + header
    aead = AESGCM(_stream_key(key, salt, aad))
    body = memoryview(envelope)[_STREAM_HEADER:]
    step = chunk_size + TAG_BYTES
    count = max(1, -(-len(body) // step))
    out = []
    for i in range(count):
        piece = bytes(body[i * step : (i + 1) * step])
        if len(piece) < TAG_BYTES:
            raise _fail(record_id, "truncated")
        try:
            out.append(aead.decrypt(_chunk_nonce(i, i == count - 1), piece, aad))
        except InvalidTag:
            raise _fail(record_id, f"chunk {i} does not authenticate") from None
    return b"".join(out)
