"""Use case: transcribe a stored session's audio, then analyse and store it like an imported transcript.

The audio is read from the vault into memory and decoded there (speech.pipeline); recognition and
analysis run under the network guard and outside any transaction. The transcript and analysis are
stored sealed in one transaction and the session becomes ``ready``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import update

from ..codec import transcript_to_dict
from ..errors import ConsentError
from ..offline import offline
from ..reports.document import analysis_document
from ..vault import blobs, records
from ..vault.blobs import BlobKind
from ..vault.models import sessions
from .analysis import analyze_transcript
from .consent import require_processing_consent
from .context import Ctx
from .permissions import Action, Refused, allowed, session_row, unit_of_work
from .retention import after_transcription
from .voiceprints import voiceprint_for

Progress = Callable[[float, float | None, str], None]


def audio_for_transcription(ctx: Ctx, session_id: str) -> bytes:
    """The session's audio, read (and audited) for transcription; needs current processing consent."""
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.SESSION_IMPORT, session_id)
        try:
            require_processing_consent(ctx.vault, conn, row.client_id)
        except ConsentError as exc:
            raise Refused(exc, Action.SESSION_IMPORT.value, session_id) from None
        blob_id = blobs.find(conn, session_id, BlobKind.AUDIO)
        if blob_id is None:
            raise Refused(ConsentError("this session has no audio to transcribe"), "transcribe", session_id)
        data = blobs.get(ctx.vault, conn, blob_id)
        ctx.vault.audit(conn, actor=ctx.who, action="media.read", target=blob_id,
                        detail={"session": session_id, "purpose": "transcribe"})
    return data


def transcribe_session(ctx: Ctx, session_id: str, progress: Progress | None = None) -> dict[str, Any]:
    from ..speech.pipeline import SpeechOptions, transcribe  # heavy (models): only when audio is processed

    data = audio_for_transcription(ctx, session_id)
    voice = voiceprint_for(ctx, purpose="transcribe") if allowed(ctx, Action.VOICE_READ) else None
    with offline():
        transcript = transcribe(data, SpeechOptions(voiceprint=voice), progress=progress)
        analysis = analyze_transcript(transcript, ctx.vault.settings)
        stored_t, document = transcript_to_dict(analysis.transcript), analysis_document(analysis)
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.SESSION_IMPORT, session_id)
        put = {"client_id": row.client_id, "session_id": session_id, "key_id": row.key_id,
               "key_version": row.key_version}
        for kind, payload in ((BlobKind.TRANSCRIPT, stored_t), (BlobKind.ANALYSIS, document)):
            blobs.put(ctx.vault, conn, kind=kind, data=json.dumps(payload, ensure_ascii=False).encode(), **put)
        meta = records.open_row(ctx.vault, conn, "sessions", row)
        meta.update(status="ready", status_note="", utterances=len(stored_t["utterances"]))
        sealed = records.seal_row(ctx.vault, conn, "sessions", row._mapping, meta)
        conn.execute(update(sessions).where(sessions.c.id == session_id).values(sealed=sealed))
        ctx.vault.audit(conn, actor=ctx.who, action="session.transcribe", target=session_id,
                        detail={"utterances": meta["utterances"]})
        # Retention (default): the audio goes in the transaction that stores its transcript.
        after_transcription(ctx, conn, session_id)
    return {"id": session_id, "utterances": meta["utterances"], "status": "ready"}
