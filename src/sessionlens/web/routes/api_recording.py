"""API: record in the room — start (needs consent), send chunks as they arrive, stop (starts processing)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Request
from starlette.concurrency import run_in_threadpool

from ...errors import InputError
from ...payloads.services_jobs import JobProgress, JobPublic
from ...services import media_sessions, server_jobs, sessions
from ..bodies import read_capped
from ..deps import ctx, web_state
from ..ids import ClientId, SessionId
from ..uploads import audio_type
from .api_out import ChunkOut, MediaSessionOut
from .api_uploads import PEOPLE_HEADER, RAW

router = APIRouter(prefix="/api", tags=["recording"])
CHUNK_MAX = 8 * 1024 * 1024
TYPES = {"audio/webm", "audio/ogg", "audio/mp4"}


@router.post("/clients/{client_id}/recordings", status_code=201, summary="Start a recording (needs consent)")
def start(request: Request, client_id: ClientId,
          mime: str = Header(default="audio/webm", alias="X-Audio-Type", max_length=60),
          people: int | None = PEOPLE_HEADER) -> MediaSessionOut:
    base = mime.split(";")[0].strip().lower()
    if base not in TYPES:
        raise InputError("the browser's recording format is not one sessionlens stores")
    return MediaSessionOut.model_validate(
        media_sessions.create_audio_session(ctx(request), client_id, status="recording", mime=base, people=people))


@router.post("/recordings/{session_id}/chunks/{seq}", status_code=201, openapi_extra=RAW,
             summary="Seal the next chunk of a recording")
async def chunk(request: Request, session_id: SessionId, seq: Annotated[int, Path(ge=0, le=100000)]) -> ChunkOut:
    c = ctx(request)
    data = await read_capped(request, CHUNK_MAX)
    if seq == 0 and audio_type(data) is None:
        raise InputError("the recording does not start like an audio stream")
    return ChunkOut.model_validate(await run_in_threadpool(media_sessions.append_chunk, c, session_id, seq, data))


@router.post("/recordings/{session_id}/stop", status_code=202, response_model=JobProgress,
             summary="Stop recording; joining and processing run as a job")
def stop(request: Request, session_id: SessionId) -> JobPublic:
    c = ctx(request)
    shown = sessions.show_session(c, session_id)  # another account's id: 404 now, not a failed job later
    state = web_state(request)
    # Join now, transcribe as a durable job (in this process or on the workers).
    if shown.get("status") != "awaiting_transcription":  # stopped already: transcribe (again) what is stored
        media_sessions.finish_recording(c, session_id)
    return server_jobs.submit_audio(c, session_id, runner=state.runner, keyring=state.keyring)
