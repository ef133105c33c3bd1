"""Pages: a session's review, its note editor, and exports (downloads)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ...errors import InputError, NotFoundError
from ...notes.export import EXPORTERS
from ...notes.formats import FORMATS
from ...notes.model import note_to_dict
from ...services import analyses, exports, media_sessions, note_workflow
from ...services.context import Ctx
from ..deps import checked_form, ctx, see_other
from ..ids import SessionId
from ..render import render
from ..views import note as note_view
from ..views.review import review

router = APIRouter(include_in_schema=False)
PENDING = ("recording", "awaiting_transcription", "processing")


@router.get("/sessions/{session_id}")
def review_page(request: Request, session_id: SessionId, c: Ctx = Depends(ctx)) -> Response:
    info = media_sessions.session_header(c, session_id)
    has_audio = "audio" in info["kinds"]
    if info.get("status") in PENDING:
        return render(request, "pending.html.j2", {"info": info, "has_audio": has_audio})
    view = review(analyses.read_analysis(c, session_id), info)
    return render(request, "review.html.j2", {"v": view, "has_audio": has_audio})


@router.get("/sessions/{session_id}/note")
def note_page(request: Request, session_id: SessionId, c: Ctx = Depends(ctx)) -> Response:
    info = media_sessions.session_header(c, session_id)
    try:
        note = note_to_dict(note_workflow.read_session_note(c, session_id))
    except NotFoundError:
        return render(request, "note_start.html.j2", {"info": info, "formats": FORMATS})
    evidence = note_view.evidence_index(analyses.read_analysis(c, session_id))
    return render(request, "note.html.j2", {"info": info, "note": note, "evidence": evidence,
                                             "exports": list(EXPORTERS)})


@router.post("/sessions/{session_id}/note/draft")
async def note_draft(request: Request, session_id: SessionId) -> Response:
    form = await checked_form(request)
    fmt = form.get("format", "soap")
    if fmt not in FORMATS:
        raise InputError("choose one of the note formats offered")
    await run_in_threadpool(note_workflow.draft_session_note, ctx(request), session_id, fmt)
    return see_other(f"/sessions/{session_id}/note")


@router.get("/sessions/{session_id}/export/{what}")
def export(session_id: SessionId, what: Literal["analysis", "transcript"], c: Ctx = Depends(ctx)) -> Response:
    data = exports.export_session(c, session_id, what)
    return Response(data, media_type="application/json",
                    headers={"content-disposition": f'attachment; filename="{session_id}-{what}.json"'})


@router.get("/sessions/{session_id}/note/export/{kind}")
def export_note(session_id: SessionId, kind: str, c: Ctx = Depends(ctx)) -> Response:
    data = note_workflow.export_session_note(c, session_id, kind)
    exporter = EXPORTERS[kind]
    return Response(data, media_type=exporter.media_type, headers={
        "content-disposition": f'attachment; filename="{session_id}-note{exporter.suffix}"'})
