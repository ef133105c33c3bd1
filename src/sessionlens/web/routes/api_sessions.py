"""API: sessions, their analysis, audio (with byte ranges for the player) and speaker corrections."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from ...services import analyses, media_sessions, sessions, speaker_corrections
from ...services.context import Ctx
from ..deps import ctx
from ..ids import ID_PATTERN, SessionId
from .api_models import SpeakersIn

router = APIRouter(prefix="/api/sessions", tags=["sessions"])
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


@router.get("", summary="Sessions (of one client with ?client=)")
def list_sessions(client: str | None = Query(default=None, pattern=ID_PATTERN),
                  c: Ctx = Depends(ctx)) -> list[dict[str, Any]]:
    return sessions.list_sessions(c, client)


@router.get("/{session_id}", summary="Session metadata, stored records and headline metrics")
def show_session(session_id: SessionId, c: Ctx = Depends(ctx)) -> dict[str, Any]:
    return sessions.show_session(c, session_id)


@router.get("/{session_id}/analysis", summary="The analysis document (docs/analysis.schema.json)",
            response_class=Response, responses={200: {"content": {"application/json": {}}}})
def analysis(session_id: SessionId, c: Ctx = Depends(ctx)) -> Response:
    # Serialised directly: FastAPI's generic encoder walks every field of a large document (slow).
    body = json.dumps(analyses.read_analysis(c, session_id), ensure_ascii=False, separators=(",", ":"))
    return Response(body.encode(), media_type="application/json")


@router.post("/{session_id}/speakers", summary="Correct speaker roles/names or move utterances; re-analyses")
def correct_speakers(session_id: SessionId, body: SpeakersIn, c: Ctx = Depends(ctx)) -> dict[str, Any]:
    fixes = {sid: {k: v for k, v in fix.model_dump().items() if v is not None} for sid, fix in body.speakers.items()}
    return speaker_corrections.correct_speakers(c, session_id, speakers=fixes, utterances=body.utterances)


@router.get("/{session_id}/audio", summary="The session's audio (supports Range)",
            responses={200: {"content": {"audio/*": {}}}, 206: {"content": {"audio/*": {}}}})
def audio(session_id: SessionId, request: Request, c: Ctx = Depends(ctx)) -> Response:
    data, mime = media_sessions.read_audio(c, session_id)
    size = len(data)
    match = RANGE.match(request.headers.get("range", "").strip())
    if not match or not any(match.groups()):
        return Response(data, media_type=mime, headers={"accept-ranges": "bytes"})
    first, last = match.groups()
    start = int(first) if first else max(size - int(last), 0)
    end = min(int(last), size - 1) if first and last else size - 1
    if start >= size or start > end:
        return Response(status_code=416, headers={"content-range": f"bytes */{size}"})
    return Response(data[start:end + 1], status_code=206, media_type=mime,
                    headers={"accept-ranges": "bytes", "content-range": f"bytes {start}-{end}/{size}"})
