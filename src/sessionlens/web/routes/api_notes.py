"""API: a session's note — read (a draft is offered when none is stored), save a draft, sign."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from ...services import note_signing
from ...services.context import Ctx
from ..deps import ctx
from ..ids import SessionId
from .api_models import NoteIn
from .session_pages import current_note

router = APIRouter(prefix="/api/sessions", tags=["notes"])


@router.get("/{session_id}/note", summary="The current note, or a first draft when none is stored")
def read_note(session_id: SessionId, c: Ctx = Depends(ctx)) -> dict[str, Any]:
    return current_note(c, session_id)[0]


@router.put("/{session_id}/note", summary="Save the draft (refused once signed)")
def save_note(session_id: SessionId, body: NoteIn, c: Ctx = Depends(ctx)) -> dict[str, Any]:
    return note_signing.save_draft(c, session_id, body.model_dump())


@router.post("/{session_id}/note/sign", summary="Sign the stored draft; a signed note is final")
def sign_note(session_id: SessionId, c: Ctx = Depends(ctx)) -> dict[str, Any]:
    return note_signing.sign_note(c, session_id)
