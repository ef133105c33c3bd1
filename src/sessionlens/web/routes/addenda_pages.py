"""Form: an addendum to a signed note (the signed text stays as signed; each addendum is hash-chained to it)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ...services import note_workflow
from ..deps import checked_form, ctx, see_other
from ..ids import SessionId

router = APIRouter(include_in_schema=False)


@router.post("/sessions/{session_id}/note/addenda")
async def add_addendum(request: Request, session_id: SessionId) -> Response:
    form = await checked_form(request)
    # the notes workflow checks the text (length, signed note) and audits note.addendum, as the CLI does
    await run_in_threadpool(note_workflow.add_session_addendum, ctx(request), session_id, form.get("text", ""))
    return see_other(f"/sessions/{session_id}/note#addenda")
