"""The work a job does: import a transcript, seal audio, hand audio to transcription when it exists.

Audio transcription is being built elsewhere (speech/). Until a ``transcribe_session(ctx,
session_id)`` use case exists in ``sessionlens.services.transcription``, audio is stored sealed
and the session says that transcription is not available yet.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

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
    job.step, job.progress = "transcribing and analysing", 0.4
    service(c, session_id)
    job.step = "done"


def _transcription() -> Callable[[Ctx, str], object] | None:
    try:
        module = importlib.import_module("sessionlens.services.transcription")
    except ImportError:
        return None
    return getattr(module, "transcribe_session", None)
