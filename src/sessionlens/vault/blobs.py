"""Sealed blobs: the bytes of a session (original file, audio, transcript, analysis, note).

A blob's bytes live in ``blob_chunks``, one sealed row per chunk (vault/chunks.py), so a recording is
written as it arrives and read back by byte range — a 3-hour recording never sits whole in memory.
The blob row holds a sealed manifest (chunk count and size) whose associated data binds the blob id,
client, session, kind, size and creation time, so a blob cannot be swapped between rows, relabelled,
truncated or reordered. A blob being written (``begin`` … ``append`` … ``finish``) has no manifest yet
and does not open. Blobs written before chunking hold one stream envelope in the row and still open.
Kinds carry their retention class: audio is *derived-from* material that retention deletes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.engine import Row

from ..errors import InputError, NotFoundError
from . import chunks, crypto
from .ids import new_id, now_iso
from .models import blob_chunks, blobs
from .vault import Vault

READ_BATCH = 16  # chunks fetched per query when streaming a whole blob (4 MiB of ciphertext)


class BlobKind(str, Enum):
    ORIGINAL = "original"  # the file the clinician imported, byte for byte
    AUDIO = "audio"  # uploaded or recorded audio; deleted by the client's retention policy
    TRANSCRIPT = "transcript"  # codec dict of the Transcript (JSON)
    ANALYSIS = "analysis"  # the analysis document (JSON)
    NOTE = "note"  # a progress-note draft or signed note (JSON)
    HEADLINE = "headline"  # the analysis document's metrics block and the analysis blob it came from (JSON)

    @property
    def is_media(self) -> bool:
        return self is BlobKind.AUDIO


@dataclass(frozen=True, slots=True)
class BlobInfo:
    id: str
    client_id: str
    session_id: str | None
    kind: BlobKind
    size: int
    created_at: str


def _aad(row: Mapping[str, object] | Row[*tuple[Any, ...]]) -> dict[str, object]:  # values to insert, or a row
    m = row._mapping if isinstance(row, Row) else row
    return {"table": "blobs", "client_id": m["client_id"], "session_id": m["session_id"], "kind": m["kind"],
            "size": m["size"], "created_at": m["created_at"]}


def info(row: Row[*tuple[Any, ...]]) -> BlobInfo:
    return BlobInfo(row.id, row.client_id, row.session_id, BlobKind(row.kind), row.size, row.created_at)


# --- writing -----------------------------------------------------------------------------------

def begin(vault: Vault, conn: Connection, *, client_id: str, session_id: str | None, kind: BlobKind,
          key_id: str, key_version: int) -> str:
    """A new blob, open for ``append``; it opens for reading only after ``finish``."""
    vault.client_key(conn, key_id, key_version)  # refuse now, not at the first chunk, if the key is not held
    blob_id = new_id("blob")
    conn.execute(insert(blobs).values(id=blob_id, client_id=client_id, session_id=session_id, kind=kind.value,
                                      key_id=key_id, key_version=key_version, size=0, created_at=now_iso(),
                                      content=b""))
    return blob_id


def _row(conn: Connection, blob_id: str) -> Row[*tuple[Any, ...]]:
    row = conn.execute(select(blobs).where(blobs.c.id == blob_id)).first()
    if row is None:
        raise NotFoundError(f"record {blob_id} not found")
    return row


def _tail(conn: Connection, blob_id: str) -> tuple[int, int]:
    """(next chunk index, next plaintext offset) of an open blob."""
    last = conn.execute(select(blob_chunks.c.idx, blob_chunks.c.start, func.length(blob_chunks.c.content))
                        .where(blob_chunks.c.blob_id == blob_id).order_by(blob_chunks.c.idx.desc()).limit(1)).first()
    if last is None:
        return 0, 0
    return last[0] + 1, last[1] + chunks.plain_length(last[2])


def append(vault: Vault, conn: Connection, blob_id: str, data: bytes | memoryview) -> int:
    """Seal ``data`` as the next chunk(s) of an open blob; returns the blob's size so far."""
    row = _row(conn, blob_id)
    if row.content:
        raise InputError(f"record {blob_id} is complete and cannot grow")
    key = chunks.blob_key(vault.client_key(conn, row.key_id, row.key_version), blob_id)
    idx, start = _tail(conn, blob_id)
    for piece in chunks.split(data, chunks.CHUNK_SIZE):
        sealed = chunks.seal_chunk(key, bytes(piece), key_id=row.key_id, key_version=row.key_version,
                                   blob_id=blob_id, idx=idx, start=start)
        conn.execute(insert(blob_chunks).values(blob_id=blob_id, idx=idx, start=start, content=sealed))
        idx, start = idx + 1, start + len(piece)
    return start


def finish(vault: Vault, conn: Connection, blob_id: str) -> BlobInfo:
    """Close an open blob: its size and chunk count are sealed into the manifest."""
    row = _row(conn, blob_id)
    if row.content:
        raise InputError(f"record {blob_id} is already complete")
    count, size = _tail(conn, blob_id)
    values = {**row._mapping, "size": size}
    key = chunks.blob_key(vault.client_key(conn, row.key_id, row.key_version), blob_id)
    manifest = chunks.seal_manifest(key, chunks.Manifest(count, size), key_id=row.key_id,
                                    key_version=row.key_version, blob_id=blob_id, row=_aad(values))
    conn.execute(update(blobs).where(blobs.c.id == blob_id).values(size=size, content=manifest))
    return BlobInfo(blob_id, row.client_id, row.session_id, BlobKind(row.kind), size, row.created_at)


def put_stream(vault: Vault, conn: Connection, *, client_id: str, session_id: str | None, kind: BlobKind,
               pieces: Iterable[bytes], key_id: str, key_version: int) -> BlobInfo:
    """Seal bytes as they come (e.g. another blob's chunks, re-sealed): one piece in memory at a time."""
    blob_id = begin(vault, conn, client_id=client_id, session_id=session_id, kind=kind, key_id=key_id,
                    key_version=key_version)
    for piece in pieces:
        append(vault, conn, blob_id, piece)
    return finish(vault, conn, blob_id)


def put(vault: Vault, conn: Connection, *, client_id: str, session_id: str | None, kind: BlobKind,
        data: bytes, key_id: str, key_version: int) -> BlobInfo:
    """Seal ``data`` and insert it in the caller's transaction."""
    return put_stream(vault, conn, client_id=client_id, session_id=session_id, kind=kind, pieces=[data],
                      key_id=key_id, key_version=key_version)


# --- reading -----------------------------------------------------------------------------------

def list_for_session(conn: Connection, session_id: str) -> list[BlobInfo]:
    rows = conn.execute(select(blobs.c.id, blobs.c.client_id, blobs.c.session_id, blobs.c.kind, blobs.c.size,
                               blobs.c.created_at).where(blobs.c.session_id == session_id).order_by(blobs.c.id))
    return [info(r) for r in rows]


def find(conn: Connection, session_id: str, kind: BlobKind) -> str | None:
    """Id of the newest complete blob of ``kind`` for a session, or None."""
    row = conn.execute(select(blobs.c.id).where(blobs.c.session_id == session_id, blobs.c.kind == kind.value,
                                                func.length(blobs.c.content) > 0)
                       .order_by(blobs.c.created_at.desc(), blobs.c.id)).first()
    return row.id if row else None


@dataclass(frozen=True, slots=True)
class _Opened:
    row: Row[*tuple[Any, ...]]
    key: bytes  # the per-blob subkey (chunked) or the client key (a stream envelope from before chunking)
    manifest: chunks.Manifest | None  # None: a stream envelope


def _open(vault: Vault, conn: Connection, blob_id: str) -> _Opened:
    row = _row(conn, blob_id)
    if not row.content:
        raise InputError(f"record {blob_id} is still being written")
    dek = vault.client_key(conn, row.key_id, row.key_version)
    if not row.content.startswith(chunks.MANIFEST):
        return _Opened(row, dek, None)
    key = chunks.blob_key(dek, blob_id)
    manifest = chunks.open_manifest(key, row.content, key_id=row.key_id, key_version=row.key_version,
                                    blob_id=blob_id, row=_aad(row))
    return _Opened(row, key, manifest)


def _legacy(o: _Opened) -> bytes:
    r = o.row
    return crypto.open_stream(o.key, r.content, key_id=r.key_id, key_version=r.key_version, record_id=r.id,
                              extra=_aad(r))


def _chunks(conn: Connection, o: _Opened, first: int, stop: int | None = None) -> Iterator[tuple[int, bytes]]:
    """(start, plaintext) of chunks from index ``first`` (until plaintext offset ``stop``), checked in order."""
    r, expect_idx, expect_start = o.row, first, None
    while True:
        q = select(blob_chunks.c.idx, blob_chunks.c.start, blob_chunks.c.content).where(
            blob_chunks.c.blob_id == r.id, blob_chunks.c.idx >= expect_idx)
        if stop is not None:
            q = q.where(blob_chunks.c.start < stop)
        batch = conn.execute(q.order_by(blob_chunks.c.idx).limit(READ_BATCH)).all()
        for idx, start, content in batch:
            if idx != expect_idx or (expect_start is not None and start != expect_start):
                raise chunks._fail(r.id, f"chunk {expect_idx} is missing")
            plain = chunks.open_chunk(o.key, content, key_id=r.key_id, key_version=r.key_version, blob_id=r.id,
                                      idx=idx, start=start)
            yield start, plain
            expect_idx, expect_start = idx + 1, start + len(plain)
        if len(batch) < READ_BATCH:
            return


def iter_bytes(vault: Vault, conn: Connection, blob_id: str) -> Iterator[bytes]:
    """The blob's plaintext, chunk by chunk; the end is checked against the manifest (no silent truncation)."""
    o = _open(vault, conn, blob_id)
    if o.manifest is None:
        yield _legacy(o)
        return
    seen, size = 0, 0
    for _start, plain in _chunks(conn, o, 0):
        seen, size = seen + 1, size + len(plain)
        yield plain
    if (seen, size) != (o.manifest.count, o.manifest.size):
        raise chunks._fail(blob_id, "chunks are missing at the end")


def get(vault: Vault, conn: Connection, blob_id: str) -> bytes:
    """Open a blob whole (records that fit in memory); IntegrityError names the blob if anything was altered."""
    return b"".join(iter_bytes(vault, conn, blob_id))


def size_of(vault: Vault, conn: Connection, blob_id: str) -> int:
    """The authenticated size of a complete blob."""
    o = _open(vault, conn, blob_id)
    return o.manifest.size if o.manifest is not None else o.row.size


def read_range(vault: Vault, conn: Connection, blob_id: str, start: int, stop: int) -> bytes:
    """Bytes ``[start, stop)`` (clipped to the blob), decrypting only the chunks that hold them."""
    o = _open(vault, conn, blob_id)
    if o.manifest is None:
        return _legacy(o)[start:stop]
    stop = min(stop, o.manifest.size)
    if start < 0 or start >= stop:
        return b""
    first = conn.execute(select(func.max(blob_chunks.c.idx)).where(blob_chunks.c.blob_id == blob_id,
                                                                   blob_chunks.c.start <= start)).scalar()
    out, end = [], None
    for at, plain in _chunks(conn, o, first or 0, stop):
        if end is None and at > start:
            raise chunks._fail(blob_id, "the chunk holding the range start is missing")
        out.append(plain[max(start - at, 0):stop - at])
        end = at + len(plain)
    if end is None or end < stop:
        raise chunks._fail(blob_id, "the chunk holding the range end is missing")
    return b"".join(out)


def remove(conn: Connection, blob_id: str) -> None:
    conn.execute(delete(blob_chunks).where(blob_chunks.c.blob_id == blob_id))
    conn.execute(delete(blobs).where(blobs.c.id == blob_id))
