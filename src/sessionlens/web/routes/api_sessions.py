"""API: sessions, their analysis, audio (with byte ranges for the player) and speaker corrections."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response, StreamingResponse

from ...payloads.services_notes import SpeakersCorrected
from ...payloads.services_session_meta import SessionSummary
from ...payloads.services_sessions import SessionShown
from ...services import analyses, media_sessions, sessions, speaker_corrections
from ...services.context import Ctx
from ..deps import ctx
from ..ids import ID_PATTERN, SessionId
from ..ranges import byte_range
from .api_models import SpeakersIn
from .api_sessions_out import SessionShownOut, SessionSummaryOut, SpeakersCorrectedOut

router = APIRouter(prefix="/api/sessions", tags=["sessions"])
STREAM_ABOVE = 4 * 1024 * 1024  # larger ranges are sent piece by piece, never decrypted whole


@router.get("", response_model=list[SessionSummaryOut], summary="Sessions (of one client with ?client=)")
def list_sessions(client: str | None = Query(default=None, pattern=ID_PATTERN),
                  c: Ctx = Depends(ctx)) -> list[SessionSummary]:
    return sessions.list_sessions(c, client)


@router.get("/{session_id}", response_model=SessionShownOut,
            summary="Session metadata, stored records and headline metrics")
def show_session(session_id: SessionId, c: Ctx = Depends(ctx)) -> SessionShown:
    return sessions.show_session(c, session_id)


@router.get("/{session_id}/analysis", summary="The analysis document (docs/analysis.schema.json)",
            response_class=Response, responses={200: {"content": {"application/json": {}}}})
def analysis(session_id: SessionId, c: Ctx = Depends(ctx)) -> Response:
    # The stored JSON bytes as they are: parsing and re-serialising a ~1 MB document cost ~30 ms CPU a request.
    return Response(analyses.read_analysis_bytes(c, session_id), media_type="application/json")


@router.post("/{session_id}/speakers", response_model=SpeakersCorrectedOut, summary="Correct speaker roles/names or move utterances; re-analyses")
def correct_speakers(session_id: SessionId, body: SpeakersIn, c: Ctx = Depends(ctx)) -> SpeakersCorrected:
    fixes = {sid: {k: v for k, v in fix.model_dump().items() if v is not None} for sid, fix in body.speakers.items()}
    return speaker_corrections.correct_speakers(c, session_id, speakers=fixes, utterances=body.utterances)


@router.get("/{session_id}/audio", summary="The session's audio (supports Range)",
            responses={200: {"content": {"audio/*": {}}}, 206: {"content": {"audio/*": {}}},
                       416: {"description": "the Range cannot be served"}})
def audio(session_id: SessionId, request: Request, c: Ctx = Depends(ctx)) -> Response:
    """Served from the streaming blob store: a range decrypts only the chunks that hold it."""
    header = request.headers.get("range")
    if header is None:
        ref, pieces = media_sessions.stream_audio(c, session_id, 0)
        return StreamingResponse(pieces, media_type=ref.mime,
                                 headers={"accept-ranges": "bytes", "content-length": str(ref.size)})
    ref = media_sessions.audio_info(c, session_id)
    span = byte_range(header, ref.size)
    if span is None:
        return Response(status_code=416, headers={"content-range": f"bytes */{ref.size}"})
    start, end = span
    headers = {"accept-ranges": "bytes", "content-range": f"bytes {start}-{end}/{ref.size}"}
    if end + 1 - start <= STREAM_ABOVE:
        data, ref = media_sessions.read_audio_range(c, session_id, start, end + 1)
        return Response(data, status_code=206, media_type=ref.mime, headers=headers)
    ref, pieces = media_sessions.stream_audio(c, session_id, start, end + 1)
    return StreamingResponse(pieces, status_code=206, media_type=ref.mime,
                             headers={**headers, "content-length": str(end + 1 - start)})
