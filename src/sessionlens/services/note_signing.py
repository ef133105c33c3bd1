"""Use cases: edit a draft note, then sign it. A signed note is final: it is never overwritten.

Stored as new sealed versions next to those of ``notes.store_note`` (the newest is current). A
note is ``{"format", "status", "sections": [{"title", "sentences": [{"text", "evidence": [ids]}]}]}``;
signing adds who signed, when, and a SHA-256 of the signed content. Read and write happen in one
transaction so a draft cannot slip in over a note being signed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection

from ..errors import InputError
from ..vault import blobs
from ..vault.blobs import BlobKind
from ..vault.ids import now_iso
from .context import Ctx
from .notes import MAX_NOTE_BYTES
from .permissions import Action, session_row, unit_of_work

MAX_SECTIONS, MAX_SENTENCES, MAX_TEXT = 20, 400, 4000


def _clean(note: Mapping[str, Any]) -> dict[str, Any]:
    """Keep only the known shape; refuse what does not fit."""
    sections = note.get("sections")
    if not isinstance(sections, list) or len(sections) > MAX_SECTIONS:
        raise InputError(f"a note has a list of at most {MAX_SECTIONS} sections")
    out = []
    for sec in sections:
        sentences = sec.get("sentences") if isinstance(sec, Mapping) else None
        if not isinstance(sentences, list) or len(sentences) > MAX_SENTENCES:
            raise InputError("each section has a list of sentences")
        out.append({"title": str(sec.get("title", ""))[:200], "sentences": [_sentence(s) for s in sentences]})
    return {"format": str(note.get("format", "DAP"))[:20], "status": "draft", "sections": out}


def _sentence(s: Any) -> dict[str, Any]:
    if not isinstance(s, Mapping) or not isinstance(s.get("text", ""), str) or len(s.get("text", "")) > MAX_TEXT:
        raise InputError(f"a sentence is an object with a text of at most {MAX_TEXT} characters")
    evidence = s.get("evidence", [])
    if not isinstance(evidence, list) or not all(isinstance(e, str) and len(e) < 40 for e in evidence):
        raise InputError("a sentence's evidence is a list of utterance ids")
    return {"text": s.get("text", ""), "evidence": evidence[:50]}


def _current(ctx: Ctx, conn: Connection, session_id: str) -> dict[str, Any] | None:
    blob_id = blobs.find(conn, session_id, BlobKind.NOTE)
    return json.loads(blobs.get(ctx.vault, conn, blob_id)) if blob_id else None


def _store(ctx: Ctx, conn: Connection, row: Any, note: dict[str, Any]) -> str:
    data = json.dumps(note, ensure_ascii=False, separators=(",", ":")).encode()
    if len(data) > MAX_NOTE_BYTES:
        raise InputError("the note is larger than 2 MB")
    return blobs.put(ctx.vault, conn, client_id=row.client_id, session_id=row.id, kind=BlobKind.NOTE, data=data,
                     key_id=row.key_id, key_version=row.key_version).id


def save_draft(ctx: Ctx, session_id: str, note: Mapping[str, Any]) -> dict[str, Any]:
    draft = _clean(note)
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.NOTE_WRITE, session_id)
        current = _current(ctx, conn, session_id)
        if current and current.get("status") == "signed":
            raise InputError("this note is signed; a signed note cannot be changed")
        blob_id = _store(ctx, conn, row, draft)
        ctx.vault.audit(conn, actor=ctx.who, action="note.write", target=blob_id, detail={"session": session_id})
    return {"session": session_id, "status": "draft", "version": blob_id}


def content_hash(note: Mapping[str, Any]) -> str:
    body = {"format": note.get("format"), "sections": note.get("sections")}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def sign_note(ctx: Ctx, session_id: str) -> dict[str, Any]:
    """Sign the current draft as it is stored; empty notes are refused."""
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.NOTE_WRITE, session_id)
        current = _current(ctx, conn, session_id)
        if current is None:
            raise InputError("there is no note to sign yet")
        if current.get("status") == "signed":
            raise InputError("this note is already signed")
        if not any(s["text"].strip() for sec in current["sections"] for s in sec["sentences"]):
            raise InputError("the note is empty")
        signed = {**current, "status": "signed", "signed_by": ctx.who, "signed_at": now_iso(),
                  "sha256": content_hash(current)}
        blob_id = _store(ctx, conn, row, signed)
        ctx.vault.audit(conn, actor=ctx.who, action="note.sign", target=blob_id,
                        detail={"session": session_id, "sha256": signed["sha256"]})
    return {"session": session_id, "status": "signed", "signed_at": signed["signed_at"], "sha256": signed["sha256"]}
