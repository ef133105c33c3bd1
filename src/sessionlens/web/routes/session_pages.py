"""Pages: a session's review, its note editor, and exports (downloads)."""

from __future__ import annotations

import json
from typing import Literal

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from ...errors import NotFoundError
from ...services import analyses, exports, media_sessions, notes
from ...services.context import Ctx
from ..deps import ctx
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


def current_note(c: Ctx, session_id: str) -> tuple[dict, dict]:
    doc = analyses.read_analysis(c, session_id)
    try:
        note = notes.read_note(c, session_id)
    except NotFoundError:
        note = note_view.starter(doc)
    return note, doc


@router.get("/sessions/{session_id}/note")
def note_page(request: Request, session_id: SessionId, c: Ctx = Depends(ctx)) -> Response:
    info = media_sessions.session_header(c, session_id)
    note, doc = current_note(c, session_id)
    return render(request, "note.html.j2", {"info": info, "note": note,
                                             "evidence": note_view.evidence_index(doc)})


@router.get("/sessions/{session_id}/export/{what}")
def export(session_id: SessionId, what: Literal["analysis", "transcript", "note"], c: Ctx = Depends(ctx)) -> Response:
    if what == "note":
        data = (json.dumps(notes.read_note(c, session_id), ensure_ascii=False, indent=2) + "\n").encode()
    else:
        data = exports.export_session(c, session_id, what)
    return Response(data, media_type="application/json",
                    headers={"content-disposition": f'attachment; filename="{session_id}-{what}.json"'})
