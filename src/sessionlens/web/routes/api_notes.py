"""API: a session's note through the notes workflow — draft (the note writer), edit, sign."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Request

from ...notes.model import note_to_dict
from ...payloads.web_note_edit import SectionEdit, SentenceEdit
from ...services import note_workflow
from ...services.context import Ctx
from ..deps import ctx, web_state
from ..ids import SessionId
from ..views.note import edits
from .api_models import DraftIn, NoteIn, SignedNoteOut
from .api_out import DraftOut, NoteOut

router = APIRouter(prefix="/api/sessions", tags=["notes"])

@router.get("/{session_id}/note", summary="The current note (404 until a draft exists)")
def read_note(session_id: SessionId, c: Ctx = Depends(ctx)) -> NoteOut:
    return NoteOut.model_validate(note_to_dict(note_workflow.read_session_note(c, session_id)))

@router.post("/{session_id}/note/draft", status_code=201, summary="Write a grounded first draft")
def draft_note(request: Request, session_id: SessionId, body: DraftIn, c: Ctx = Depends(ctx)) -> DraftOut:
    detail = body.detail or web_state(request).settings.note_detail
    return DraftOut.model_validate(note_workflow.draft_session_note(c, session_id, body.format, detail=detail))

@router.put("/{session_id}/note", summary="Save the clinician's edits to the draft (refused once signed)")
def save_note(session_id: SessionId, body: NoteIn, c: Ctx = Depends(ctx)) -> NoteOut:
    sections = [SectionEdit(key=s.key, sentences=[SentenceEdit(text=x.text) for x in s.sentences])
                for s in body.sections]
    return NoteOut.model_validate(note_to_dict(note_workflow.edit_session_note(c, session_id, edits(sections))))

@router.post("/{session_id}/note/sign", summary="Sign the stored draft; a signed note is final")
def sign_note(session_id: SessionId, c: Ctx = Depends(ctx)) -> SignedNoteOut:
    note = note_workflow.sign_session_note(c, session_id)
    assert note.signature is not None  # signing sets it
    return SignedNoteOut(session=session_id, status=note.status, signed_at=note.signature.signed_at,
                         sha256=note.signature.content_sha256)

FormatName = Literal["soap", "dap", "birp", "girp"]
