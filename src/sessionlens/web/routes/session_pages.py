"""Pages: a session's review, its note editor, and exports (downloads)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ...errors import InputError, NotFoundError
from ...notes.concise import DETAILS
from ...notes.export import EXPORTERS
from ...notes.formats import FORMATS
from ...notes.modalities import check_modality
from ...notes.model import note_to_dict
from ...services import analyses, exports, media_sessions, note_workflow
from ...services.context import Ctx
from ..deps import checked_form, ctx, see_other, web_state
from ..ids import SessionId
from ..page_cache import fingerprint
from ..render import render, render_kept
from ..views import note as note_view
from ..views.review import review

# What the note forms offer for ``modality`` (one label per modality the notes know).
MODALITY_LABELS = {"none": "None: the format's sections only", "cbt": "CBT (thoughts, feelings, behaviours; homework)",
                   "mi": "Motivational interviewing (change talk, commitment)",
                   "psychodynamic": "Psychodynamic / relational (relational process first)",
                   "couples": "Couples (each partner's perspective)"}

router = APIRouter(include_in_schema=False)
PENDING = ("recording", "awaiting_transcription", "processing")


@router.get("/sessions/{session_id}")
def review_page(request: Request, session_id: SessionId, c: Ctx = Depends(ctx)) -> Response:
    info = media_sessions.session_header(c, session_id)
    has_audio = "audio" in info["kinds"]
    if info.get("status") in PENDING:
        return render(request, "pending.html.j2", {"info": info, "has_audio": has_audio})
    key = ("review", session_id, analyses.analysis_version(c, session_id), fingerprint(info))
    return render_kept(request, key, "review.html.j2", lambda: {
        "v": review(analyses.read_analysis(c, session_id), info), "has_audio": has_audio})


@router.get("/sessions/{session_id}/note")
def note_page(request: Request, session_id: SessionId, c: Ctx = Depends(ctx)) -> Response:
    info = media_sessions.session_header(c, session_id)
    try:
        note = note_to_dict(note_workflow.read_session_note(c, session_id))
    except NotFoundError:
        return render(request, "note_start.html.j2", {"info": info, "formats": FORMATS, "details": DETAILS,
                                                      "detail": web_state(request).settings.note_detail,
                                                      "modalities": MODALITY_LABELS})
    key = ("note", session_id, analyses.analysis_version(c, session_id), fingerprint(info), fingerprint(note))
    return render_kept(request, key, "note.html.j2", lambda: {
        "info": info, "note": note, "evidence": note_view.evidence_index(analyses.read_analysis(c, session_id)),
        "exports": list(EXPORTERS), "formats": FORMATS, "details": DETAILS, "modalities": MODALITY_LABELS})


@router.post("/sessions/{session_id}/note/draft")
async def note_draft(request: Request, session_id: SessionId) -> Response:
    form = await checked_form(request)
    fmt = form.get("format", "soap")
    detail = form.get("detail") or web_state(request).settings.note_detail
    if fmt not in FORMATS:
        raise InputError("choose one of the note formats offered")
    if detail not in DETAILS:
        raise InputError("choose concise or full detail")
    modality = check_modality(form["modality"]) if form.get("modality") else None  # empty: the client's own
    await run_in_threadpool(lambda: note_workflow.draft_session_note(
        ctx(request), session_id, fmt, detail=detail, replace_draft=form.get("replace") == "on", modality=modality))
    return see_other(f"/sessions/{session_id}/note")


@router.get("/sessions/{session_id}/export/{what}")
def export(session_id: SessionId, what: Literal["analysis", "transcript"], c: Ctx = Depends(ctx)) -> Response:
    data = exports.export_session(c, session_id, what)
    return Response(data, media_type="application/json",
                    headers={"content-disposition": f'attachment; filename="{session_id}-{what}.json"'})


@router.get("/sessions/{session_id}/note/export/{kind}")
def export_note(session_id: SessionId, kind: str, client: Literal["pseudonym", "name"] = "pseudonym",
                appendix: bool = False, c: Ctx = Depends(ctx)) -> Response:
    """A download; the query carries only choices (never a date or a name: URLs land in logs)."""
    data = exports.export_session_note(c, session_id, kind, exports.NoteExportChoice(client=client, appendix=appendix))
    return _download(session_id, kind, data)


@router.post("/sessions/{session_id}/note/export")
async def export_note_form(request: Request, session_id: SessionId) -> Response:
    """The export form: header choices (date of service, start, clinician) travel in the body, CSRF-checked."""
    form = await checked_form(request)
    kind = form.get("kind", "")
    choice = exports.NoteExportChoice(client=form.get("client", "pseudonym"), appendix=form.get("appendix") == "on",
                                      date=form.get("date", ""), start=form.get("start", ""),
                                      clinician=form.get("clinician", "").strip())
    data = await run_in_threadpool(exports.export_session_note, ctx(request), session_id, kind, choice)
    return _download(session_id, kind, data)


def _download(session_id: str, kind: str, data: bytes) -> Response:
    exporter = EXPORTERS[kind]
    return Response(data, media_type=exporter.media_type, headers={
        "content-disposition": f'attachment; filename="{session_id}-note{exporter.suffix}"', "cache-control": "no-store"})
