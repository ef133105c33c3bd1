"""Sealed blobs: the bytes of a session (original file, audio, transcript, analysis, note).

Each blob is a chunked AEAD stream under its client's data key; the associated data binds the
blob id, client, session, kind, size and creation time, so a blob cannot be swapped between
rows or relabelled. Kinds carry their retention class: audio is *derived-from* material that
retention deletes once a transcript exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.engine import Row

from ..errors import NotFoundError
from . import crypto
from .ids import new_id, now_iso
from .models import blobs
from .vault import Vault


class BlobKind(str, Enum):
    ORIGINAL = "original"  # the file the clinician imported, byte for byte
    AUDIO = "audio"  # decoded or uploaded audio; deleted after transcription by default
    TRANSCRIPT = "transcript"  # codec dict of the Transcript (JSON)
    ANALYSIS = "analysis"  # the analysis document (JSON)
    NOTE = "note"  # a progress-note draft or signed note (JSON)

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


def _aad(row: dict | Row) -> dict[str, object]:
    m = row._mapping if isinstance(row, Row) else row
    return {"table": "blobs", "client_id": m["client_id"], "session_id": m["session_id"], "kind": m["kind"],
            "size": m["size"], "created_at": m["created_at"]}


def put(vault: Vault, conn: Connection, *, client_id: str, session_id: str | None, kind: BlobKind,
        data: bytes, key_id: str, key_version: int) -> BlobInfo:
    """Seal ``data`` and insert it in the caller's transaction."""
    key = vault.client_key(conn, key_id, key_version)
    row = {"id": new_id("blob"), "client_id": client_id, "session_id": session_id, "kind": kind.value,
           "key_id": key_id, "key_version": key_version, "size": len(data), "created_at": now_iso()}
    content = crypto.seal_stream(key, data, key_id=key_id, key_version=key_version, record_id=row["id"],
                                 extra=_aad(row))
    conn.execute(insert(blobs).values(**row, content=content))
    return BlobInfo(row["id"], client_id, session_id, kind, len(data), row["created_at"])


def info(row: Row) -> BlobInfo:
    return BlobInfo(row.id, row.client_id, row.session_id, BlobKind(row.kind), row.size, row.created_at)


def list_for_session(conn: Connection, session_id: str) -> list[BlobInfo]:
    rows = conn.execute(select(blobs.c.id, blobs.c.client_id, blobs.c.session_id, blobs.c.kind, blobs.c.size,
                               blobs.c.created_at).where(blobs.c.session_id == session_id).order_by(blobs.c.id))
    return [info(r) for r in rows]


def find(conn: Connection, session_id: str, kind: BlobKind) -> str | None:
    """Id of the newest blob of ``kind`` for a session, or None."""
    row = conn.execute(select(blobs.c.id).where(blobs.c.session_id == session_id, blobs.c.kind == kind.value)
                       .order_by(blobs.c.created_at.desc(), blobs.c.id)).first()
    return row.id if row else None


def get(vault: Vault, conn: Connection, blob_id: str) -> bytes:
    """Open a blob; IntegrityError names the blob if any byte of it (or its row) was altered."""
    row = conn.execute(select(blobs).where(blobs.c.id == blob_id)).first()
    if row is None:
        raise NotFoundError(f"record {blob_id} not found")
    key = vault.client_key(conn, row.key_id, row.key_version)
    data = crypto.open_stream(key, row.content, key_id=row.key_id, key_version=row.key_version,
                              record_id=row.id, extra=_aad(row))
    return data


def remove(conn: Connection, blob_id: str) -> None:
    conn.execute(delete(blobs).where(blobs.c.id == blob_id))
