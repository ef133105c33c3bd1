"""Use cases: sessions that start as audio — an uploaded recording, or one recorded in the room.

A recording in the room arrives in chunks; each chunk is sealed as its own audio blob the moment
it arrives (nothing plaintext on disk), its id listed in the session's sealed metadata so the
order is authenticated. Stopping joins the chunks into one sealed audio blob and drops the parts.
Status lives in the sealed metadata: ``recording`` → ``awaiting_transcription`` (→ ``ready`` once
a transcript exists).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, update

from ..errors import InputError, NotFoundError
from ..vault import blobs, records
from ..vault.blobs import BlobKind
from ..vault.ids import new_id, now_iso
from ..vault.models import sessions
from .consent import consented
from .context import Ctx
from .permissions import Action, Refused, client_row, session_row, unit_of_work

MAX_CHUNKS = 20_000  # about 11 hours at one chunk per 2 s


def _meta(ctx: Ctx, conn: Connection, row: Any) -> dict[str, Any]:
    return records.open_row(ctx.vault, conn, "sessions", row)


def _save_meta(ctx: Ctx, conn: Connection, row: Any, meta: dict[str, Any]) -> None:
    sealed = records.seal_row(ctx.vault, conn, "sessions", row._mapping, meta)
    conn.execute(update(sessions).where(sessions.c.id == row.id).values(sealed=sealed))


def _put_audio(ctx: Ctx, conn: Connection, row: Any, data: bytes) -> blobs.BlobInfo:
    return blobs.put(ctx.vault, conn, client_id=row.client_id, session_id=row.id, kind=BlobKind.AUDIO, data=data,
                     key_id=row.key_id, key_version=row.key_version)


def create_audio_session(ctx: Ctx, client_id: str, *, status: str, mime: str,
                         data: bytes | None = None) -> dict[str, Any]:
    """A session row for audio (uploaded whole, or ``data=None`` for a recording about to start)."""
    if data is not None and not data:
        raise InputError("the audio is empty")
    with unit_of_work(ctx) as conn:
        client = client_row(ctx, conn, Action.SESSION_IMPORT, client_id)
        consented(ctx, conn, client_id)
        row = {"id": new_id("session"), "client_id": client_id, "key_id": client.key_id,
               "key_version": client.key_version, "created_at": now_iso()}
        meta = {"source_format": "audio", "status": status, "mime": mime, "chunks": [], "utterances": 0,
                "therapist": [], "imported_by": ctx.actor.id}
        conn.execute(insert(sessions).values(**row, sealed=records.seal_row(ctx.vault, conn, "sessions", row, meta)))
        stored = session_row(ctx, conn, Action.MEDIA_ATTACH, row["id"])
        blob = _put_audio(ctx, conn, stored, data) if data is not None else None
        ctx.vault.audit(conn, actor=ctx.who, action="session.create_audio", target=row["id"],
                        detail={"client": client_id, "status": status, "bytes": len(data or b"")})
    return {"id": row["id"], "client": client_id, "status": status, "audio": blob.id if blob else None}


def append_chunk(ctx: Ctx, session_id: str, seq: int, data: bytes) -> dict[str, Any]:
    """Seal one recorded chunk now; ``seq`` must be the next number (0, 1, 2 ...)."""
    if not data:
        raise InputError("the chunk is empty")
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.MEDIA_ATTACH, session_id)
        meta = _meta(ctx, conn, row)
        if meta.get("status") != "recording":
            raise InputError("this session is not recording")
        if seq != len(meta["chunks"]) or seq >= MAX_CHUNKS:
            raise InputError(f"expected chunk {len(meta['chunks'])}, got {seq}")
        info = _put_audio(ctx, conn, row, data)
        meta["chunks"].append(info.id)
        _save_meta(ctx, conn, row, meta)
        ctx.vault.audit(conn, actor=ctx.who, action="recording.chunk", target=info.id,
                        detail={"session": session_id, "seq": seq, "bytes": len(data)})
    return {"session": session_id, "seq": seq, "bytes": len(data)}


def finish_recording(ctx: Ctx, session_id: str) -> dict[str, Any]:
    """Join the sealed chunks into one sealed audio blob; the session then awaits transcription."""
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.MEDIA_ATTACH, session_id)
        meta = _meta(ctx, conn, row)
        if meta.get("status") != "recording":
            raise InputError("this session is not recording")
        if not meta["chunks"]:
            raise InputError("nothing was recorded")
        whole = b"".join(blobs.get(ctx.vault, conn, blob_id) for blob_id in meta["chunks"])
        info = _put_audio(ctx, conn, row, whole)
        for blob_id in meta["chunks"]:
            blobs.remove(conn, blob_id)
        meta.update(chunks=[], status="awaiting_transcription")
        _save_meta(ctx, conn, row, meta)
        ctx.vault.audit(conn, actor=ctx.who, action="recording.finish", target=info.id,
                        detail={"session": session_id, "bytes": len(whole)})
    return {"session": session_id, "audio": info.id, "bytes": len(whole), "status": meta["status"]}


def attach_audio(ctx: Ctx, session_id: str, data: bytes, mime: str) -> dict[str, Any]:
    """Add the recording to a session imported from a transcript, so the review can play it."""
    if not data:
        raise InputError("the audio is empty")
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.MEDIA_ATTACH, session_id)
        meta = _meta(ctx, conn, row)
        if meta.get("status") == "recording":
            raise InputError("this session is still recording")
        info = _put_audio(ctx, conn, row, data)
        meta["mime"] = mime
        _save_meta(ctx, conn, row, meta)
        ctx.vault.audit(conn, actor=ctx.who, action="media.attach", target=info.id,
                        detail={"session": session_id, "kind": "audio", "bytes": len(data)})
    return {"id": info.id, "session": session_id}


def read_audio(ctx: Ctx, session_id: str) -> tuple[bytes, str]:
    """The session's newest complete audio and its media type (a PHI read, audited)."""
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.TRANSCRIPT_READ, session_id)
        meta = _meta(ctx, conn, row)
        blob_id = blobs.find(conn, session_id, BlobKind.AUDIO)
        if blob_id is None or meta.get("status") == "recording":
            raise Refused(NotFoundError("this session has no audio"), "media.read", session_id)
        data = blobs.get(ctx.vault, conn, blob_id)
        ctx.vault.audit(conn, actor=ctx.who, action="media.read", target=blob_id, detail={"session": session_id})
    return data, str(meta.get("mime") or "application/octet-stream")


def set_status(ctx: Ctx, session_id: str, status: str, note: str = "") -> None:
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.MEDIA_ATTACH, session_id)
        meta = _meta(ctx, conn, row)
        meta.update(status=status, status_note=note)
        _save_meta(ctx, conn, row, meta)
        ctx.vault.audit(conn, actor=ctx.who, action="session.status", target=session_id, detail={"status": status})


def session_header(ctx: Ctx, session_id: str) -> dict[str, Any]:
    """What a page header needs — metadata and record kinds — without opening the analysis (fast)."""
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.SESSION_SHOW, session_id)
        meta = _meta(ctx, conn, row)
        kinds = sorted({b.kind.value for b in blobs.list_for_session(conn, session_id)})
        ctx.vault.audit(conn, actor=ctx.who, action="session.read", target=session_id)
    return {"id": row.id, "client": row.client_id, "created_at": row.created_at, "kinds": kinds, **meta}
