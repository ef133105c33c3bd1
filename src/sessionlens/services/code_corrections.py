"""Use cases: the clinician corrects a code; agreement with the model over time; rows for re-training.

Corrections live in the session's sealed metadata (``code_corrections``), each with the model's
original value beside the clinician's. Every correction re-applies the whole list to the stored
analysis (a new sealed version replaces the old one): codes, code findings, premature-advice flags
and the MI measures follow the clinician. The export returns bytes; the caller writes them where
the clinician says, never inside the vault (see services/exports.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Connection, select, update

from ..analysis.coding import CodingResult, recode
from ..analysis.coding.corrections import field_value, session_agreement, training_rows
from ..payloads.analysis_coding import Correction
from ..analysis.coding.scheme import requested
from ..codec import transcript_from_dict
from ..domain import Transcript
from ..errors import InputError
from ..payloads.document import AnalysisDocument, CodesJson
from ..payloads.services_code_corrections import (AgreementReport, CodeCorrected, CodeCorrection, CodeValue,
                                                  CorrectionsListed, RetrainReport, SessionAgreement,
                                                  TrainingExportRow)
from ..vault import blobs, records
from ..vault.roles import Role
from ..vault.blobs import BlobKind
from ..vault.ids import now_iso
from ..vault.models import clients, sessions
from .analyses import read_blob
from .consent import PROCESSING, current_consent, require_processing_consent
from .context import Ctx
from .permissions import Action, require, session_row, unit_of_work

KEY = "code_corrections"
MAX_NOTE = 500


def _note(note: str | None) -> str | None:
    text = (note or "").strip()
    if len(text) > MAX_NOTE:
        raise InputError(f"a note on a correction has at most {MAX_NOTE} characters")
    return text or None


def _load(ctx: Ctx, conn: Connection, session_id: str) -> tuple[str, AnalysisDocument, Transcript]:
    blob_id, doc = read_blob(ctx, conn, session_id, BlobKind.ANALYSIS)
    _, transcript = read_blob(ctx, conn, session_id, BlobKind.TRANSCRIPT)
    return blob_id, cast(AnalysisDocument, json.loads(doc)), transcript_from_dict(json.loads(transcript))


def _codes_of(doc: AnalysisDocument, uid: str) -> CodesJson | None:
    for u in doc.get("utterances", []):
        if u["id"] == uid:
            return u.get("codes") if isinstance(u.get("codes"), dict) else None
    raise InputError(f"no utterance {uid[:40]!r} in this session")


def _stamp(ctx: Ctx, fixes: list[Correction], base: CodingResult, note: str | None) -> list[CodeCorrection]:
    """Each correction with when, by whom, the model's original value and the optional note."""
    at = now_iso()
    out: list[CodeCorrection] = []
    for f in fixes:
        stamped: CodeCorrection = {"utterance_id": f["utterance_id"], "field": f["field"], "value": f["value"],
                                   "at": at, "by": ctx.actor.id,
                                   "model": field_value(base.codes[f["utterance_id"]], f["field"])}
        if note:
            stamped["note"] = note
        out.append(stamped)
    return out


def _store_doc(ctx: Ctx, conn: Connection, row: Any, old_blob: str, doc: Mapping[str, object]) -> None:
    blobs.put(ctx.vault, conn, kind=BlobKind.ANALYSIS, client_id=row.client_id, session_id=row.id,
              key_id=row.key_id, key_version=row.key_version, data=json.dumps(doc, ensure_ascii=False).encode())
    blobs.remove(conn, old_blob)  # the model's codes live on inside the new version (codes.model)


def _store_meta(ctx: Ctx, conn: Connection, row: Any, meta: Mapping[str, object]) -> None:
    """Seal the session's metadata as given (its other keys belong to services.sessions / media_sessions)."""
    sealed = records.seal_row(ctx.vault, conn, "sessions", row._mapping, meta)
    conn.execute(update(sessions).where(sessions.c.id == row.id).values(sealed=sealed))


def reapply(ctx: Ctx, conn: Connection, session_id: str) -> int:
    """Re-apply a session's kept corrections to its newest analysis, inside the caller's (already
    permission-checked) transaction — for use after a re-analysis such as a speaker correction.
    Returns how many corrections no longer fit the session (e.g. an utterance changed role)."""
    row = conn.execute(select(sessions).where(sessions.c.id == session_id)).one()
    items = records.open_row(ctx.vault, conn, "sessions", row).get(KEY, [])
    if not items:
        return 0
    blob_id, doc, transcript = _load(ctx, conn, session_id)
    new_doc, stale = recode.recoded_document(doc, transcript, items)
    _store_doc(ctx, conn, row, blob_id, new_doc)
    return stale


def correct_code(ctx: Ctx, session_id: str, utterance_id: str, *, therapist_behaviour: str | None = None,
                 therapist_subcodes: Sequence[str] | None = None, client_talk: str | None = None,
                 note: str | None = None) -> CodeCorrected:
    """Correct one utterance's codes; the analysis is recomputed from the clinician's codes."""
    text = _note(note)
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.NOTE_WRITE, session_id)
        require_processing_consent(ctx.vault, conn, row.client_id)  # re-computing the analysis is processing
        blob_id, doc, transcript = _load(ctx, conn, session_id)
        fixes = requested(utterance_id, _codes_of(doc, utterance_id), therapist_behaviour=therapist_behaviour,
                          therapist_subcodes=therapist_subcodes, client_talk=client_talk)
        meta = records.open_row(ctx.vault, conn, "sessions", row)
        meta[KEY] = meta.get(KEY, []) + _stamp(ctx, fixes, recode.model_coding(doc), text)
        new_doc, stale = recode.recoded_document(doc, transcript, meta[KEY])
        _store_doc(ctx, conn, row, blob_id, new_doc)
        _store_meta(ctx, conn, row, meta)
        ctx.vault.audit(conn, actor=ctx.who, action="code.correct", target=session_id,
                        detail={"utterance": utterance_id, "fields": [f["field"] for f in fixes]})
    codes = next(u["codes"] for u in new_doc["utterances"] if u["id"] == utterance_id)
    return {"session": session_id, "utterance": utterance_id, "codes": codes, "corrections": len(meta[KEY]),
            "not_applicable": stale, "interventions": new_doc["metrics"]["interventions"],
            "client_talk": new_doc["metrics"]["client_talk"]}


def list_corrections(ctx: Ctx, session_id: str) -> CorrectionsListed:
    """Every correction of a session (oldest first) and its agreement with the model so far."""
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.ANALYSIS_READ, session_id)
        items = records.open_row(ctx.vault, conn, "sessions", row).get(KEY, [])
        base = recode.model_coding(json.loads(read_blob(ctx, conn, session_id, BlobKind.ANALYSIS)[1]))
        ctx.vault.audit(conn, actor=ctx.who, action="code.list", target=session_id, detail={"count": len(items)})
    if ctx.role is not Role.CLINICIAN:  # a note is the clinician's own reasoning
        items = [{k: v for k, v in c.items() if k != "note"} for c in items]
    fits, stale = recode.applicable(base, items)
    return {"session": session_id, "corrections": items, "effective": len(fits), "not_applicable": stale,
            "agreement": session_agreement(base, fits)}


def _own_sessions(conn: Connection, ctx: Ctx) -> list[Any]:
    owned = select(clients.c.id).where(clients.c.owner_id == ctx.actor.id)
    q = select(sessions).where(sessions.c.client_id.in_(owned)).order_by(sessions.c.created_at, sessions.c.id)
    return list(conn.execute(q).all())


def _consents(ctx: Ctx, conn: Connection, client_id: str) -> bool:
    consent = current_consent(ctx.vault, conn, client_id)
    return consent is not None and PROCESSING <= set(consent["scopes"])


def _corrected_sessions(ctx: Ctx, conn: Connection, *, consented: bool = False
                        ) -> list[tuple[Any, list[CodeCorrection]]]:
    """The signed-in clinician's sessions that hold corrections, oldest first (``consented``: only
    those whose client's consent to analysis is current)."""
    out = []
    for row in _own_sessions(conn, ctx):
        items = records.open_row(ctx.vault, conn, "sessions", row).get(KEY, [])
        if items and (not consented or _consents(ctx, conn, row.client_id)):
            out.append((row, items))
    return out


def agreement(ctx: Ctx) -> AgreementReport:
    """Model-vs-clinician agreement (share and Cohen's kappa) per session over time, and overall."""
    with unit_of_work(ctx) as conn:
        require(ctx, Action.REFLECTION_READ)
        rows: list[SessionAgreement] = []
        pooled = []
        for row, items in _corrected_sessions(ctx, conn):
            base = recode.model_coding(json.loads(read_blob(ctx, conn, row.id, BlobKind.ANALYSIS)[1]))
            fits, _ = recode.applicable(base, items)
            per_field = session_agreement(base, fits)
            rows.append({"session": row.id, "date": row.created_at[:10], "corrections": len(fits),
                         "therapist_behaviour": per_field["therapist_behaviour"],
                         "client_talk": per_field["client_talk"]})
            pooled.append(recode.pairs(base, fits))
        ctx.vault.audit(conn, actor=ctx.who, action="code.agreement", target="-", detail={"sessions": len(rows)})
    return {"sessions": rows, "overall": recode.pooled_agreement(pooled),
            "note": "Agreement over the utterances you corrected or confirmed; a description of the model, "
                    "not of you."}


def _session_rows(ctx: Ctx, conn: Connection, row: Any, items: list[CodeCorrection],
                  context: bool) -> list[TrainingExportRow]:
    _, doc, transcript = _load(ctx, conn, row.id)
    base = recode.model_coding(doc)
    coding = recode.corrected_coding(base, recode.applicable(base, items)[0])
    out: list[TrainingExportRow] = []
    for r in training_rows(transcript, coding):
        if context or r["corrected"]:
            uid = transcript.utterances[r["utterance_index"]].id
            model = base.codes[uid]
            out.append({"transcript_id": row.id, "utterance_id": uid, **r,
                        "model_label": model.get("therapist_behaviour") or model.get("client_talk"),
                        "model_subcodes": list(model.get("therapist_subcodes") or [])})
    return out


def export_training_rows(ctx: Ctx, *, context: bool = False) -> bytes:
    """JSONL, one utterance a line, of the clinician's corrected utterances (``context``: every coded
    utterance of the corrected sessions, flagged). Plaintext PHI: for the clinician's own re-training;
    sessions of clients whose consent to analysis was revoked are left out."""
    with unit_of_work(ctx) as conn:
        require(ctx, Action.EXPORT)
        rows = [r for row, items in _corrected_sessions(ctx, conn, consented=True)
                for r in _session_rows(ctx, conn, row, items, context)]
        ctx.vault.audit(conn, actor=ctx.who, action="code.export", target="-",
                        detail={"rows": len(rows), "sessions": len({r["transcript_id"] for r in rows})})
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


# --- re-training the heads on the clinician's own reviews ----------------------------------------

HEADS_KIND = "coding_heads"


def _reviewed(base: CodingResult, fits: Sequence[Correction]) -> dict[str, dict[str, CodeValue]]:
    """utterance id -> the clinician's effective codes; a sub-code review carries its behaviour (corrected or
    the model's) so the right sub-code head learns from it."""
    out: dict[str, dict[str, CodeValue]] = {}
    for c in fits:
        out.setdefault(c["utterance_id"], {})[c["field"]] = c["value"]
    for uid, mine in out.items():
        if "therapist_subcodes" in mine:
            mine.setdefault("therapist_behaviour", base.codes[uid].get("therapist_behaviour"))
    return out


def _heads_rows(conn: Connection, ctx: Ctx) -> list[Any]:
    from .reflection import rows

    return rows(conn, ctx.actor.id, HEADS_KIND)


def local_model(ctx: Ctx, conn: Connection) -> Any:
    """The signed-in clinician's re-trained coding model, or None (never re-trained, or re-trained from
    another version of the shipped model)."""
    from ..analysis.coding import retrain as rt
    from ..analysis.coding.artifact import default_model
    from .reflection import unseal

    found = _heads_rows(conn, ctx)
    if not found:
        return None
    payload = unseal(ctx.vault, conn, found[-1])
    try:
        return rt.with_heads(default_model(), rt.from_payload(default_model(), payload["heads"]))
    except ValueError:
        return None


def retrain(ctx: Ctx, *, keep: bool = True) -> RetrainReport:
    """Re-train the coding heads on every code the clinician reviewed (sessions with current consent), judged
    by grouped CV over their sessions; the new heads replace the old ones only when that says they are better
    (``keep=False``: report only). The heads are sealed in the vault under the clinician's own key."""
    from ..analysis.coding import retrain as rt
    from ..analysis.coding.artifact import default_model
    from .reflection import put, replace_payload

    model = default_model()
    with unit_of_work(ctx) as conn:
        require(ctx, Action.NOTE_WRITE)
        mine: list[rt.Reviewed] = []
        for row, items in _corrected_sessions(ctx, conn, consented=True):
            _, doc, transcript = _load(ctx, conn, row.id)
            base = recode.model_coding(doc)
            mine.append(rt.Reviewed(row.id, transcript, _reviewed(base, recode.applicable(base, items)[0])))
        n, sessions_n = sum(len(s.codes) for s in mine), sum(bool(s.codes) for s in mine)
        out: RetrainReport = {"reviewed": n, "sessions": sessions_n, "better": False, "kept": False}
        if n < rt.MIN_REVIEWED or sessions_n < rt.MIN_SESSIONS:
            out["reason"] = (f"re-training needs at least {rt.MIN_REVIEWED} reviewed utterances over "
                             f"{rt.MIN_SESSIONS} sessions; you have {n} over {sessions_n}")
        else:
            out["cv"] = rt.grouped_cv(model, mine)
            out["better"], out["reason"] = rt.verdict(out["cv"])
            if out["better"] and keep:
                train = [r for r in rt.rows_of(model, mine) if r.label is not None]
                record = {"heads": rt.to_payload(model, rt.fit_all(model, train)), "cv": out["cv"], "at": now_iso()}
                old = _heads_rows(conn, ctx)
                if old:  # one set of heads per clinician: the new ones replace the old
                    replace_payload(ctx.vault, conn, old[-1], record)
                else:
                    put(ctx.vault, conn, owner_id=ctx.actor.id, kind=HEADS_KIND, payload=record)
                out["kept"] = True
        ctx.vault.audit(conn, actor=ctx.who, action="code.retrain", target="-",
                        detail={"reviewed": n, "sessions": sessions_n, "kept": out["kept"]})
    return out
