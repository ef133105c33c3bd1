"""The work a job does: import a transcript, seal audio, transcribe and analyse audio.

Transcription goes through ``sessionlens.services.transcription.transcribe_session`` (the speech
pipeline); on an installation without it, audio is stored sealed and the session says so.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from ..errors import SessionlensError
from ..services import media_sessions, sessions
from ..services.context import Ctx
from .jobs import Job
from .uploads import Upload

NOT_YET = "The audio is stored, sealed. Automatic transcription is not available in this version yet."


def transcript_work(c: Ctx, client_id: str, data: bytes, upload: Upload) -> Callable[[Job], None]:
    def work(job: Job) -> None:
        job.step, job.progress = "reading and analysing the transcript", 0.3
        result = sessions.import_session(c, client_id, data, source=upload.name)
        job.session, job.step = result["id"], f"done: {result['utterances']} utterances analysed"
    return work


def audio_work(c: Ctx, client_id: str, data: bytes, upload: Upload) -> Callable[[Job], None]:
    def work(job: Job) -> None:
        job.step, job.progress = "sealing the audio", 0.2
        created = media_sessions.create_audio_session(c, client_id, status="awaiting_transcription",
                                                      mime=upload.mime, data=data)
        job.session = created["id"]
        transcribe(c, created["id"], job)
    return work


def stop_work(c: Ctx, session_id: str) -> Callable[[Job], None]:
    def work(job: Job) -> None:
        job.session, job.step, job.progress = session_id, "joining the recorded audio", 0.2
        media_sessions.finish_recording(c, session_id)
        transcribe(c, session_id, job)
    return work


def transcribe(c: Ctx, session_id: str, job: Job) -> None:
    service = _transcription()
    if service is None:
        media_sessions.set_status(c, session_id, "awaiting_transcription", NOT_YET)
        job.step = job.message = NOT_YET
        return
    job.step, job.progress = "loading the speech models", 0.3

    def report(done: float, total: float | None, stage: str) -> None:
        job.step = stage
        if total:
            job.progress = 0.3 + 0.6 * min(done / total, 1.0)

    try:
        service(c, session_id, report)
    except SessionlensError as exc:
        media_sessions.set_status(c, session_id, "awaiting_transcription", f"Transcription did not succeed: {exc}")
        raise
    job.step = "done"


def _transcription() -> Callable[..., object] | None:
    try:
        module = importlib.import_module("sessionlens.services.transcription")
    except ImportError:
        return None
    return getattr(module, "transcribe_session", None)
