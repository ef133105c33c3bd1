"""Use cases: sessions that start as audio — an uploaded recording, or one recorded in the room.

A recording in the room arrives in parts; each part is sealed into the session's one open audio blob
the moment it arrives (vault/blobs.py: chunk by chunk, nothing plaintext on disk, the order bound
into every chunk). Stopping seals the blob's manifest — nothing is joined in memory. Caps: a
recording or upload is at most ``web_upload_max_mib`` and ``audio_max_minutes`` long. Status lives
in the sealed metadata: ``recording`` → ``awaiting_transcription`` (→ ``ready`` once a transcript exists).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, insert, update

from ..errors import InputError, NotFoundError
from ..payloads.services_session_meta import (AudioAttached, AudioSessionCreated, ChunkStored, RecordingFinished,
                                              SessionHeader, SessionMeta)
from ..vault import blobs, records
from ..vault.blobs import BlobKind
from ..vault.ids import new_id, now, now_iso
from ..vault.models import sessions
from .consent import consented
from .context import Ctx
from .permissions import Action, Refused, client_row, session_row, unit_of_work

MAX_CHUNKS = 20_000  # about 11 hours at one chunk per 2 s
MIB = 1024 * 1024
MAX_PEOPLE = 8  # speakers the separation can be asked for
GRACE_SECONDS = 60  # the browser's parts arrive a little after the moment they cover


def check_people(people: int | None) -> None:
    """The number of people in the room, when given, is 1-8 (the speaker separation's range)."""
    if people is not None and not (isinstance(people, int) and 1 <= people <= MAX_PEOPLE):
        raise InputError(f"the number of people in the room must be between 1 and {MAX_PEOPLE}")


def people_in_room(ctx: Ctx, conn: Connection, row: Any) -> int | None:
    """How many people the clinician said were in the room for this session's recording (None: not said)."""
    people = _meta(ctx, conn, row).get("people")
    return people if isinstance(people, int) else None


def _meta(ctx: Ctx, conn: Connection, row: Any) -> SessionMeta:
    return cast(SessionMeta, records.open_row(ctx.vault, conn, "sessions", row))  # written only as a SessionMeta


def _recording_meta(ctx: Ctx, conn: Connection, row: Any) -> SessionMeta:
    """The meta of a session that must be recording now (a chunk or the stop finds it so, or is refused)."""
    meta = _meta(ctx, conn, row)
    if meta.get("status") != "recording":
        raise InputError("this session is not recording")
    return meta


def _save_meta(ctx: Ctx, conn: Connection, row: Any, meta: SessionMeta) -> None:
    sealed = records.seal_row(ctx.vault, conn, "sessions", row._mapping, meta)
    conn.execute(update(sessions).where(sessions.c.id == row.id).values(sealed=sealed))


def _put_audio(ctx: Ctx, conn: Connection, row: Any, data: bytes) -> blobs.BlobInfo:
    _audio_caps(ctx, data)
    return blobs.put(ctx.vault, conn, client_id=row.client_id, session_id=row.id, kind=BlobKind.AUDIO, data=data,
                     key_id=row.key_id, key_version=row.key_version)


def _size_cap(ctx: Ctx, size: int) -> None:
    cap = ctx.vault.settings.web_upload_max_mib
    if size > cap * MIB:
        raise InputError(f"the audio is larger than web_upload_max_mib ({cap} MiB)")


def _audio_caps(ctx: Ctx, data: bytes) -> None:
    """Refuse audio over the size cap, or longer than ``audio_max_minutes`` when its container says so."""
    from ..ingest.audio import probe

    _size_cap(ctx, len(data))
    minutes = ctx.vault.settings.audio_max_minutes
    try:
        duration = probe(data).duration
    except InputError:
        return  # not readable as audio here: the transcription job names the problem
    if duration is not None and duration > minutes * 60:
        raise InputError(f"the recording is {duration / 60:.0f} minutes long; audio_max_minutes is {minutes}")


def _recording_caps(ctx: Ctx, meta: SessionMeta, size: int) -> None:
    _size_cap(ctx, size)
    minutes = ctx.vault.settings.audio_max_minutes
    started = datetime.fromisoformat(str(meta.get("started_at", now_iso())).replace("Z", "+00:00"))
    if (now() - started).total_seconds() > minutes * 60 + GRACE_SECONDS:
        raise InputError(f"the recording is longer than audio_max_minutes ({minutes} minutes); stop it")


def create_audio_session(ctx: Ctx, client_id: str, *, status: str, mime: str,
                         data: bytes | None = None, people: int | None = None) -> AudioSessionCreated:
    """A session row for audio (uploaded whole, or ``data=None`` for a recording about to start).
    ``people``: how many people were in the room, as the clinician said (None: found from the voices)."""
    if data is not None and not data:
        raise InputError("the audio is empty")
    check_people(people)
    with unit_of_work(ctx) as conn:
        client = client_row(ctx, conn, Action.SESSION_IMPORT, client_id)
        consented(ctx, conn, client_id)
        row = {"id": new_id("session"), "client_id": client_id, "key_id": client.key_id,
               "key_version": client.key_version, "created_at": now_iso()}
        meta: SessionMeta = {"source_format": "audio", "status": status, "mime": mime, "chunks": [], "utterances": 0,
                "therapist": [], "imported_by": ctx.actor.id, "people": people}
        if data is None:  # a recording: its parts go into one open blob, sealed as they arrive
            meta.update({"parts": 0, "bytes": 0, "started_at": row["created_at"], "recording_blob": None})
        conn.execute(insert(sessions).values(**row, sealed=records.seal_row(ctx.vault, conn, "sessions", row, meta)))
        stored = session_row(ctx, conn, Action.MEDIA_ATTACH, row["id"])
        blob = _put_audio(ctx, conn, stored, data) if data is not None else None
        if data is None:
            meta["recording_blob"] = blobs.begin(ctx.vault, conn, client_id=client_id, session_id=row["id"],
                                                 kind=BlobKind.AUDIO, key_id=client.key_id,
                                                 key_version=client.key_version)
            _save_meta(ctx, conn, stored, meta)
        ctx.vault.audit(conn, actor=ctx.who, action="session.create_audio", target=row["id"],
                        detail={"client": client_id, "status": status, "bytes": len(data or b"")})
    return {"id": row["id"], "client": client_id, "status": status, "audio": blob.id if blob else None}


def append_chunk(ctx: Ctx, session_id: str, seq: int, data: bytes) -> ChunkStored:
    """Seal one recorded part now, into the recording's open blob; ``seq`` must be the next number (0, 1, 2 ...)."""
    if not data:
        raise InputError("the chunk is empty")
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.MEDIA_ATTACH, session_id)
        meta = _recording_meta(ctx, conn, row)
        done = _parts(meta)
        if seq != done or seq >= MAX_CHUNKS:
            raise InputError(f"expected chunk {done}, got {seq}")
        _recording_caps(ctx, meta, int(meta.get("bytes", 0)) + len(data))
        open_blob = meta.get("recording_blob")
        if open_blob:
            blobs.append(ctx.vault, conn, open_blob, data)
            target = open_blob
            meta.update({"parts": seq + 1, "bytes": int(meta.get("bytes", 0)) + len(data)})
        else:  # a recording started before chunked blobs: one blob per part, as it began
            target = _put_audio(ctx, conn, row, data).id
            meta["chunks"].append(target)
        _save_meta(ctx, conn, row, meta)
        ctx.vault.audit(conn, actor=ctx.who, action="recording.chunk", target=target,
                        detail={"session": session_id, "seq": seq, "bytes": len(data)})
    return {"session": session_id, "seq": seq, "bytes": len(data)}


def _parts(meta: SessionMeta) -> int:
    return int(meta["parts"]) if meta.get("recording_blob") else len(meta["chunks"])


def _close_recording(ctx: Ctx, conn: Connection, row: Any, meta: SessionMeta) -> blobs.BlobInfo:
    """The recording's one audio blob, complete. Parts of an older recording are re-sealed into one
    blob a part at a time (never joined in memory) and dropped."""
    open_blob = meta.get("recording_blob")
    if open_blob:
        return blobs.finish(ctx.vault, conn, open_blob)
    info = blobs.put_stream(ctx.vault, conn, client_id=row.client_id, session_id=row.id, kind=BlobKind.AUDIO,
                            pieces=(blobs.get(ctx.vault, conn, part) for part in meta["chunks"]),
                            key_id=row.key_id, key_version=row.key_version)
    for part in meta["chunks"]:
        blobs.remove(conn, part)
    return info


def finish_recording(ctx: Ctx, session_id: str) -> RecordingFinished:
    """Close the recording's sealed audio blob; the session then awaits transcription."""
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.MEDIA_ATTACH, session_id)
        meta = _recording_meta(ctx, conn, row)
        if not _parts(meta):
            raise InputError("nothing was recorded")
        info = _close_recording(ctx, conn, row, meta)
        meta.update({"chunks": [], "status": "awaiting_transcription", "recording_blob": None})
        _save_meta(ctx, conn, row, meta)
        ctx.vault.audit(conn, actor=ctx.who, action="recording.finish", target=info.id,
                        detail={"session": session_id, "bytes": info.size})
    return {"session": session_id, "audio": info.id, "bytes": info.size, "status": meta["status"]}


def attach_audio(ctx: Ctx, session_id: str, data: bytes, mime: str) -> AudioAttached:
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


@dataclass(frozen=True, slots=True)
class AudioRef:
    blob_id: str
    size: int
    mime: str


def _audio_ref(ctx: Ctx, conn: Connection, row: Any) -> AudioRef:
    """The audio a session (already checked by ``session_row``) plays; none while it is still recording."""
    session_id = row.id
    meta = _meta(ctx, conn, row)
    blob_id = blobs.find(conn, session_id, BlobKind.AUDIO)
    if blob_id is None or meta.get("status") == "recording":
        raise Refused(NotFoundError("this session has no audio"), "media.read", session_id)
    return AudioRef(blob_id, blobs.size_of(ctx.vault, conn, blob_id), str(meta.get("mime") or "application/octet-stream"))


def read_audio(ctx: Ctx, session_id: str) -> tuple[bytes, str]:
    """The session's newest complete audio, whole, and its media type (a PHI read, audited)."""
    with unit_of_work(ctx) as conn:
        ref = _audio_ref(ctx, conn, session_row(ctx, conn, Action.TRANSCRIPT_READ, session_id))
        data = blobs.get(ctx.vault, conn, ref.blob_id)
        ctx.vault.audit(conn, actor=ctx.who, action="media.read", target=ref.blob_id, detail={"session": session_id})
    return data, ref.mime


def audio_info(ctx: Ctx, session_id: str) -> AudioRef:
    """Which audio blob a session plays, its size and type (no content read, so not a PHI read)."""
    with unit_of_work(ctx) as conn:
        return _audio_ref(ctx, conn, session_row(ctx, conn, Action.TRANSCRIPT_READ, session_id))


def read_audio_range(ctx: Ctx, session_id: str, start: int, stop: int) -> tuple[bytes, AudioRef]:
    """Bytes ``[start, stop)`` of the session's audio, decrypting only the chunks that hold them (audited)."""
    with unit_of_work(ctx) as conn:
        ref = _audio_ref(ctx, conn, session_row(ctx, conn, Action.TRANSCRIPT_READ, session_id))
        data = blobs.read_range(ctx.vault, conn, ref.blob_id, start, stop)
        ctx.vault.audit(conn, actor=ctx.who, action="media.read", target=ref.blob_id,
                        detail={"session": session_id, "from": start, "bytes": len(data)})
    return data, ref


def stream_audio(ctx: Ctx, session_id: str, start: int, stop: int | None = None,
                 piece: int = 1024 * 1024) -> tuple[AudioRef, Iterator[bytes]]:
    """The audio from ``start`` to ``stop`` (default: the end) as pieces, each decrypted in a short
    transaction of its own as it is sent: a 3-hour recording is never whole in memory. One audit entry."""
    with unit_of_work(ctx) as conn:
        ref = _audio_ref(ctx, conn, session_row(ctx, conn, Action.TRANSCRIPT_READ, session_id))
        end = ref.size if stop is None else min(stop, ref.size)
        ctx.vault.audit(conn, actor=ctx.who, action="media.read", target=ref.blob_id,
                        detail={"session": session_id, "from": start, "bytes": max(end - start, 0)})

    def pieces() -> Iterator[bytes]:
        for at in range(start, end, piece):
            with ctx.vault.transaction() as conn:
                data = blobs.read_range(ctx.vault, conn, ref.blob_id, at, min(at + piece, end))
            yield data  # outside the transaction: a slow listener holds no database lock

    return ref, pieces()


def set_status(ctx: Ctx, session_id: str, status: str, note: str = "") -> None:
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.MEDIA_ATTACH, session_id)
        meta = _meta(ctx, conn, row)
        meta.update({"status": status, "status_note": note})
        _save_meta(ctx, conn, row, meta)
        ctx.vault.audit(conn, actor=ctx.who, action="session.status", target=session_id, detail={"status": status})


def session_header(ctx: Ctx, session_id: str) -> SessionHeader:
    """What a page header needs — metadata and record kinds — without opening the analysis (fast)."""
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.SESSION_SHOW, session_id)
        meta = _meta(ctx, conn, row)
        kinds = sorted({b.kind.value for b in blobs.list_for_session(conn, session_id)})
        ctx.vault.audit(conn, actor=ctx.who, action="session.read", target=session_id)
    return {"id": row.id, "client": row.client_id, "created_at": row.created_at, "kinds": kinds, **meta}
