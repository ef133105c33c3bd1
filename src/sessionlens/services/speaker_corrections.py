"""Use case: the clinician corrects speaker labels; the correction is kept and the analysis redone.

Two kinds of correction: a speaker's role (therapist / client / other) or display name, and an
utterance given to another speaker (diarization mislabels short replies). The corrected transcript
and the new analysis are stored as new sealed versions (the newest is read), and every correction
is appended to the session's sealed metadata so it survives and can be shown.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from sqlalchemy import update

from ..analysis.pipeline import run_analysis
from ..codec import transcript_from_dict, transcript_to_dict
from ..domain import Role, Speaker, Transcript
from ..errors import InputError
from ..offline import offline
from ..payloads.services_notes import SpeakersCorrected
from ..reports.document import analysis_document
from ..vault import blobs, records
from ..vault.blobs import BlobKind
from ..vault.ids import now_iso
from ..vault.models import sessions
from .analyses import read_blob
from . import code_corrections
from .context import Ctx
from .permissions import Action, session_row, unit_of_work

MAX_NAME = 80
CORRECTED = "corrected by the clinician"


def _speakers(t: Transcript, changes: Mapping[str, Mapping[str, str]]) -> tuple[Speaker, ...]:
    known = {s.id for s in t.speakers}
    unknown = [sid for sid in changes if sid not in known]
    if unknown:
        raise InputError(f"no speaker {unknown[0]!r} in this session")
    out = []
    for s in t.speakers:
        change = changes.get(s.id, {})
        role, name = change.get("role"), (change.get("name") or "").strip()
        if role is not None and role not in {r.value for r in Role}:
            raise InputError("a role is therapist, client or other")
        if len(name) > MAX_NAME:
            raise InputError(f"a speaker name has at most {MAX_NAME} characters")
        if role is not None or name:
            s = replace(s, role=Role(role) if role else s.role, name=name or s.name, role_confidence=1.0,
                        role_reason=CORRECTED)
        out.append(s)
    return tuple(out)


def _utterances(t: Transcript, moves: Mapping[str, str]) -> Transcript:
    ids, speakers = {u.id for u in t.utterances}, {s.id for s in t.speakers}
    for uid, sid in moves.items():
        if uid not in ids or sid not in speakers:
            raise InputError("an utterance or speaker in the correction is not in this session")
    return replace(t, utterances=tuple(replace(u, speaker=moves.get(u.id, u.speaker)) for u in t.utterances))


def corrected(t: Transcript, speakers: Mapping[str, Mapping[str, str]],
              utterances: Mapping[str, str]) -> Transcript:
    """Apply corrections (pure); utterance roles then follow their speakers."""
    moved = _utterances(t, utterances)
    return moved.with_speakers(_speakers(moved, speakers))


def correct_speakers(ctx: Ctx, session_id: str, *, speakers: Mapping[str, Mapping[str, str]] | None = None,
                     utterances: Mapping[str, str] | None = None) -> SpeakersCorrected:
    speakers, utterances = dict(speakers or {}), dict(utterances or {})
    if not speakers and not utterances:
        raise InputError("nothing to correct")
    with unit_of_work(ctx) as conn:
        session_row(ctx, conn, Action.NOTE_WRITE, session_id)
        _, data = read_blob(ctx, conn, session_id, BlobKind.TRANSCRIPT)
    fixed = corrected(transcript_from_dict(json.loads(data)), speakers, utterances)
    roles = {s.role for s in fixed.speakers}
    if Role.THERAPIST not in roles or Role.CLIENT not in roles:
        raise InputError("a session needs at least one therapist and one client speaker")
    with offline():
        document = analysis_document(run_analysis(fixed, ctx.vault.settings))
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.NOTE_WRITE, session_id)
        put = {"client_id": row.client_id, "session_id": session_id, "key_id": row.key_id,
               "key_version": row.key_version}
        for kind, payload in ((BlobKind.TRANSCRIPT, transcript_to_dict(fixed)), (BlobKind.ANALYSIS, document)):
            blobs.put(ctx.vault, conn, kind=kind, data=json.dumps(payload, ensure_ascii=False).encode(), **put)
        code_corrections.reapply(ctx, conn, session_id)  # the re-analysis must not drop the clinician's code corrections
        meta = records.open_row(ctx.vault, conn, "sessions", row)
        meta.setdefault("corrections", []).append({"at": now_iso(), "by": ctx.actor.id, "speakers": speakers,
                                                   "utterances": utterances})
        sealed = records.seal_row(ctx.vault, conn, "sessions", row._mapping, meta)
        conn.execute(update(sessions).where(sessions.c.id == session_id).values(sealed=sealed))
        ctx.vault.audit(conn, actor=ctx.who, action="speakers.correct", target=session_id,
                        detail={"speakers": len(speakers), "utterances": len(utterances)})
    return {"session": session_id, "speakers": [{"id": s.id, "name": s.name, "role": s.role.value}
                                                for s in fixed.speakers], "corrections": len(meta["corrections"])}
