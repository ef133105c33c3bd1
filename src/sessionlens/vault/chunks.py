"""Sealing for streaming blobs: each chunk its own AEAD message, and a sealed manifest that closes the blob.

A blob's chunks are sealed under a subkey derived from the client's data key and the blob id (HKDF),
each with a fresh random nonce and associated data naming the blob, the chunk's index and the
plaintext offset of its first byte. So a chunk moved to another blob, another position or another
offset does not open. The *manifest* (chunk count, total size) is sealed with the blob row's own
associated data when the blob is complete: a dropped tail, a dropped middle chunk or an altered size
is caught by comparing what was read with what the manifest promises. Nothing here touches storage.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..errors import IntegrityError
from . import crypto

CHUNK_SIZE = 256 * 1024  # one range read decrypts at most this much beyond what was asked
MANIFEST = crypto.MAGIC + b"\x03"  # blobs.content of a chunked blob starts with this; older blobs are one stream
OVERHEAD = crypto.NONCE_BYTES + crypto.TAG_BYTES


@dataclass(frozen=True, slots=True)
class Manifest:
    count: int
    size: int


def blob_key(dek: bytes, blob_id: str) -> bytes:
    """The per-blob subkey: random nonces stay far from their limit even for a client with years of audio."""
    return HKDF(algorithm=hashes.SHA256(), length=crypto.KEY_BYTES, salt=None,
                info=b"sessionlens-chunk-v1:" + blob_id.encode()).derive(dek)


def _aad(key_id: str, key_version: int, blob_id: str, idx: int, start: int) -> bytes:
    return crypto.associated_data(key_id, key_version, blob_id, {"chunk": idx, "start": start})


def seal_chunk(key: bytes, data: bytes, *, key_id: str, key_version: int, blob_id: str, idx: int,
               start: int) -> bytes:
    nonce = os.urandom(crypto.NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, data, _aad(key_id, key_version, blob_id, idx, start))


def open_chunk(key: bytes, sealed: bytes, *, key_id: str, key_version: int, blob_id: str, idx: int,
               start: int) -> bytes:
    """Plaintext of chunk ``idx`` at ``start``, or IntegrityError naming the blob (never its content)."""
    if len(sealed) < OVERHEAD:
        raise _fail(blob_id, f"chunk {idx} is truncated")
    try:
        return AESGCM(key).decrypt(sealed[:crypto.NONCE_BYTES], sealed[crypto.NONCE_BYTES:],
                                   _aad(key_id, key_version, blob_id, idx, start))
    except InvalidTag:
        raise _fail(blob_id, f"chunk {idx} does not authenticate") from None


def plain_length(sealed_length: int) -> int:
    return sealed_length - OVERHEAD


def seal_manifest(key: bytes, manifest: Manifest, *, key_id: str, key_version: int, blob_id: str,
                  row: Mapping[str, object]) -> bytes:
    body = json.dumps({"count": manifest.count, "size": manifest.size}, sort_keys=True).encode()
    return MANIFEST + crypto.seal(key, body, key_id=key_id, key_version=key_version, record_id=blob_id,
                                  extra={**row, "manifest": 1})


def open_manifest(key: bytes, content: bytes, *, key_id: str, key_version: int, blob_id: str,
                  row: Mapping[str, object]) -> Manifest:
    if not content.startswith(MANIFEST):
        raise _fail(blob_id, "not a chunked blob")
    body = crypto.open_sealed(key, content[len(MANIFEST):], key_id=key_id, key_version=key_version,
                              record_id=blob_id, extra={**row, "manifest": 1})
    data = json.loads(body)
    return Manifest(int(data["count"]), int(data["size"]))


def split(data: bytes | memoryview, size: int = CHUNK_SIZE) -> list[memoryview]:
    """``data`` cut into pieces of ``size`` (the last may be shorter); views, no copies."""
    view = memoryview(data)
    return [view[i:i + size] for i in range(0, len(view), size)]


def _fail(blob_id: str, why: str) -> IntegrityError:
    return IntegrityError(f"record {blob_id} failed authentication ({why}); it was altered or corrupted")
