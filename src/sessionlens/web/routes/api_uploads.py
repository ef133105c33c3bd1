"""API: upload a transcript or audio (raw body, read in memory with a cap), attach audio to a session."""

from __future__ import annotations

from fastapi import APIRouter, Header, Request
from starlette.concurrency import run_in_threadpool

from ...errors import ConsentError, InputError
from ...payloads.services_jobs import JobProgress, JobPublic
from ...services import consent, media_sessions, server_jobs
from ..bodies import TooLarge, read_capped
from ..deps import ctx, web_state
from ..ids import ClientId, SessionId
from ..uploads import classify
from .api_out import AudioAttached

router = APIRouter(prefix="/api", tags=["uploads"])
MIB = 1024 * 1024
RAW = {"requestBody": {"required": True, "content": {"application/octet-stream": {
    "schema": {"type": "string", "format": "binary"}}}}}
NAME_HEADER = Header(default="", alias="X-Upload-Name", max_length=255,
                     description="the file's name; only its extension is kept")
PEOPLE_HEADER = Header(default=None, alias="X-People", ge=1, le=media_sessions.MAX_PEOPLE,
                       description="audio: how many people were in the room (individual 2, couple 3, family N); "
                                   "omitted: found from the voices")


@router.post("/clients/{client_id}/uploads", status_code=202, openapi_extra=RAW, response_model=JobProgress,
             summary="Upload a transcript or audio for a client with consent; processing runs as a job")
async def upload(request: Request, client_id: ClientId, name: str = NAME_HEADER,
                 people: int | None = PEOPLE_HEADER) -> JobPublic:
    c, state = ctx(request), web_state(request)
    status = await run_in_threadpool(consent.consent_status, c, client_id)
    if not status["may_process"]:
        raise ConsentError("record the client's consent to recording and analysis before uploading")
    settings = state.settings
    data = await read_capped(request, max(settings.web_upload_max_mib, settings.web_transcript_max_mib) * MIB)
    kind = classify(data, name)
    if kind.kind == "transcript" and len(data) > settings.web_transcript_max_mib * MIB:
        raise TooLarge(f"a transcript is limited to {settings.web_transcript_max_mib} MiB")
    if kind.kind == "audio" and len(data) > settings.web_upload_max_mib * MIB:
        raise TooLarge(f"audio is limited to {settings.web_upload_max_mib} MiB")
    # A durable job: in this process (the default) or on the workers (job_runner = celery).
    job = await run_in_threadpool(server_jobs.submit_upload, c, client_id, data, kind.kind, kind.name, kind.mime,
                                  runner=state.runner, keyring=state.keyring, people=people)
    return job


@router.post("/sessions/{session_id}/audio", status_code=201, openapi_extra=RAW,
             summary="Add the recording to a session imported from a transcript")
async def attach_audio(request: Request, session_id: SessionId) -> AudioAttached:
    c = ctx(request)
    data = await read_capped(request, web_state(request).settings.web_upload_max_mib * MIB)
    kind = classify(data, "")
    if kind.kind != "audio":
        raise InputError("this is not a recognised audio format")
    return AudioAttached.model_validate(
        await run_in_threadpool(media_sessions.attach_audio, c, session_id, data, kind.mime))
