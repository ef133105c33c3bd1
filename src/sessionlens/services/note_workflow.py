"""Use cases: draft a session's progress note with the note writer, edit, sign, add addenda, export,
and a case-conceptualization scaffold across a client's sessions.

Notes are stored as sealed NOTE blobs (a new version per change, like ``notes.store_note`` and the web
editor's ``note_signing``, whose JSON shape this extends and can read). Each change reads the current
version and writes the next in one transaction, so nothing slips in over a note being signed; a
signed note is never overwritten. Drafting runs under the network guard (only the loopback LLM
server, when one is used, is allowed).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, select

from ..analysis.pipeline import run_analysis
from ..analysis.result import SessionAnalysis
from ..codec import transcript_from_dict
from ..domain import Transcript
from ..errors import InputError, NotFoundError
from ..notes import conceptualization as concept
from ..notes import workflow
from ..notes.model import SIGNED, Note, note_from_dict, note_to_dict
from ..notes.service import draft_note
from ..notes.writer_default import NoteWriter
from ..offline import offline
from ..payloads.services_notes import NoteDrafted
from ..vault import blobs
from ..vault.blobs import BlobKind
from ..vault.ids import now_iso
from ..vault.models import sessions
from .clients import client_modality
from .context import Ctx
from .notes import MAX_NOTE_BYTES
from .permissions import Action, client_row, session_row, unit_of_work


def _current(ctx: Ctx, conn: Connection, session_id: str) -> Note | None:
    blob_id = blobs.find(conn, session_id, BlobKind.NOTE)
    return note_from_dict(json.loads(blobs.get(ctx.vault, conn, blob_id))) if blob_id else None


def _store(ctx: Ctx, conn: Connection, row: Any, note: Note, action: str,
           detail: dict[str, Any]) -> str:  # detail: audit-log fields, passed through to vault.audit
    data = json.dumps(note_to_dict(note), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(data) > MAX_NOTE_BYTES:
        raise InputError("the note is larger than 2 MB")
    info = blobs.put(ctx.vault, conn, client_id=row.client_id, session_id=row.id, kind=BlobKind.NOTE, data=data,
                     key_id=row.key_id, key_version=row.key_version)
    ctx.vault.audit(conn, actor=ctx.who, action=action, target=info.id, detail={"session": row.id, **detail})
    return info.id


def _transcript(ctx: Ctx, conn: Connection, session_id: str) -> Transcript:
    blob_id = blobs.find(conn, session_id, BlobKind.TRANSCRIPT)
    if blob_id is None:
        raise NotFoundError(f"session {session_id} has no transcript record")
    return transcript_from_dict(json.loads(blobs.get(ctx.vault, conn, blob_id)))


def _analyse(ctx: Ctx, transcript: Transcript, allow: tuple[str, ...] = ()) -> SessionAnalysis:
    # The stored transcript already carries its (possibly corrected) roles: analyse it as it is.
    with offline(allow=allow):
        return run_analysis(transcript, ctx.vault.settings)


def _llm_hosts(llm_url: str | None) -> tuple[str, ...]:
    """The one host a local LLM server adds to the network guard (none for the default writer)."""
    return (urlsplit(llm_url).hostname or "",) if llm_url else ()


def draft_file_note(path: Path, fmt: str = "soap", *, writer: NoteWriter | None = None, grounding: str = "remove",
                    llm_url: str | None = None, detail: str = "concise", modality: str | None = None) -> Note:
    """A draft for a transcript file (no vault, nothing stored), under the same guard as a stored session's."""
    from .analysis import analyze_file

    analysis = analyze_file(path)
    with offline(allow=_llm_hosts(llm_url)):
        return draft_note(analysis, fmt, writer=writer, grounding=grounding, detail=detail, modality=modality)


def draft_session_note(ctx: Ctx, session_id: str, fmt: str = "soap", *, writer: NoteWriter | None = None,
                       grounding: str = "remove", replace_draft: bool = False,
                       llm_url: str = "", detail: str = "concise", modality: str | None = None) -> NoteDrafted:
    """Write a grounded draft for a stored session and store it. A stored draft (which may hold the
    clinician's edits) is replaced only with ``replace_draft``; a signed note never. ``modality``
    (None: the client's own modality preference, if set) shapes the note's sections."""
    with unit_of_work(ctx) as conn:
        srow = session_row(ctx, conn, Action.NOTE_WRITE, session_id)
        if modality is None:
            modality = client_modality(ctx, conn, srow.client_id)
        transcript = _transcript(ctx, conn, session_id)
        ctx.vault.audit(conn, actor=ctx.who, action="transcript.read", target=session_id,
                        detail={"session": session_id, "purpose": "note.draft"})
    allow = _llm_hosts(llm_url)
    with offline(allow=allow):
        note = draft_note(_analyse(ctx, transcript, allow), fmt, writer=writer, grounding=grounding, detail=detail,
                          modality=modality)
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.NOTE_WRITE, session_id)
        current = _current(ctx, conn, session_id)
        if current is not None and current.status == SIGNED:
            raise InputError("this session's note is signed; add an addendum instead of a new draft")
        if current is not None and not replace_draft:
            raise InputError("this session already has a draft note; pass --replace to discard it")
        version = _store(ctx, conn, row, note, "note.draft", {"format": note.format, "writer": note.writer})
    return {"session": session_id, "version": version, "note": note_to_dict(note)}


def read_session_note(ctx: Ctx, session_id: str) -> Note:
    with unit_of_work(ctx) as conn:
        session_row(ctx, conn, Action.NOTE_READ, session_id)
        note = _current(ctx, conn, session_id)
        if note is None:
            raise NotFoundError(f"session {session_id} has no note yet (draft one first)")
        ctx.vault.audit(conn, actor=ctx.who, action="note.read", target=session_id, detail={"session": session_id})
    return note


def _change(ctx: Ctx, conn: Connection, row: Any, change: Callable[[Note], Note], action: str) -> Note:
    current = _current(ctx, conn, row.id)
    if current is None:
        raise NotFoundError(f"session {row.id} has no note yet (draft one first)")
    new = change(current)
    _store(ctx, conn, row, new, action, {"sha256": workflow.content_hash(new)})
    return new


def edit_session_note(ctx: Ctx, session_id: str, change: Callable[[Note], Note]) -> Note:
    """Apply an edit (``workflow.edit_sentence`` / ``add_sentence`` / ``delete_sentence``) to the draft."""
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.NOTE_WRITE, session_id)
        return _change(ctx, conn, row, change, "note.edit")


def sign_session_note(ctx: Ctx, session_id: str) -> Note:
    """Lock the note: signer (the signed-in account), time, content hash; keeps the draft difference.
    The recording goes in the same transaction unless the client's retention keeps it."""
    from .retention import after_signing

    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.NOTE_WRITE, session_id)
        signed = _change(ctx, conn, row, lambda n: workflow.sign(n, ctx.who, now_iso()), "note.sign")
        after_signing(ctx, conn, session_id)
        return signed


def add_session_addendum(ctx: Ctx, session_id: str, text: str) -> Note:
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.NOTE_WRITE, session_id)
        return _change(ctx, conn, row, lambda n: workflow.add_addendum(n, ctx.who, now_iso(), text), "note.addendum")


def client_conceptualization(ctx: Ctx, client_id: str, model: str = "5p") -> concept.Formulation:
    """Hypotheses across all of a client's stored sessions (oldest first), for the clinician to review."""
    with unit_of_work(ctx) as conn:
        client_row(ctx, conn, Action.CLIENT_SHOW, client_id)
        ids = conn.execute(select(sessions.c.id).where(sessions.c.client_id == client_id)
                           .order_by(sessions.c.created_at, sessions.c.id)).scalars().all()
        transcripts = [(sid, _transcript(ctx, conn, sid)) for sid in ids
                       if blobs.find(conn, sid, BlobKind.TRANSCRIPT)]
        ctx.vault.audit(conn, actor=ctx.who, action="conceptualization.read", target=client_id,
                        detail={"sessions": len(transcripts)})
    if not transcripts:
        raise InputError("this client has no transcribed sessions yet")
    return concept.conceptualize([(sid, _analyse(ctx, t)) for sid, t in transcripts], model)
