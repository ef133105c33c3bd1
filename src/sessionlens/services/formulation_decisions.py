"""Use cases: the clinician's accept/reject decisions on case-conceptualization hypotheses.

Each decision is one sealed record in the ``reflections`` table (kind ``formulation``), under the
client's key (shredding the client shreds them too), owned by the clinician who decided; the latest
decision per hypothesis wins. Only the hypothesis id and the decision reach the audit log, never the
clinician's note.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import InputError
from ..payloads.services_formulation import HypothesisDecided, HypothesisDecision, HypothesisDecisionRecord
from ..notes import conceptualization as concept
from ..vault.ids import now_iso
from . import note_workflow as nw
from .context import Ctx
from .permissions import Action, client_row, unit_of_work
from .reflection import purge_orphans, put, rows, unseal

KIND = "formulation"
DECISIONS = (concept.ACCEPTED, concept.REJECTED)
MAX_NOTE_CHARS = 2000


def _check(model: str, decision: str, note: str | None) -> str:
    if model not in concept.MODELS:
        raise InputError(f"unknown conceptualization model {model!r}; choose one of: {', '.join(concept.MODELS)}")
    if decision not in DECISIONS:
        raise InputError("a decision is 'accepted' or 'rejected'")
    note = (note or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise InputError(f"the note is longer than {MAX_NOTE_CHARS} characters")
    return note


def decide_hypothesis(ctx: Ctx, client_id: str, model: str, item_id: str, decision: str,
                      note: str | None = None) -> HypothesisDecided:
    """Accept or reject one hypothesis of the client's formulation; stored sealed, audited."""
    with unit_of_work(ctx) as conn:  # the record check comes first: it leaks nothing about the input
        client_row(ctx, conn, Action.NOTE_WRITE, client_id)
    note = _check(model, decision, note)
    formulation = nw.client_conceptualization(ctx, client_id, model)
    concept.decide(formulation, item_id, decision, note)  # InputError for an unknown hypothesis
    with unit_of_work(ctx) as conn:
        row = client_row(ctx, conn, Action.NOTE_WRITE, client_id)
        purge_orphans(conn)
        at = now_iso()
        record: HypothesisDecisionRecord = {"model": model, "item": item_id, "decision": decision, "note": note,
                                            "at": at}
        rec = put(ctx.vault, conn, owner_id=ctx.actor.id, kind=KIND, keyed_by=row, payload=record)
        ctx.vault.audit(conn, actor=ctx.who, action="formulation.decide", target=client_id,
                        detail={"record": rec["id"], "model": model, "item": item_id, "decision": decision})
    return {"id": rec["id"], "client": client_id, "model": model, "item": item_id, "decision": decision,
            "note": note, "at": at}


def formulation_decisions(ctx: Ctx, client_id: str, model: str) -> dict[str, HypothesisDecision]:
    """The latest decision per hypothesis id for this client and model: {item id: {decision, note, at}}."""
    with unit_of_work(ctx) as conn:
        client_row(ctx, conn, Action.NOTE_READ, client_id)
        if model not in concept.MODELS:
            raise InputError(f"unknown conceptualization model {model!r}; choose one of: "
                             f"{', '.join(concept.MODELS)}")
        out: dict[str, HypothesisDecision] = {}
        for r in rows(conn, ctx.actor.id, KIND, client_id=client_id):
            p = unseal(ctx.vault, conn, r)
            if p.get("model") == model:
                out[p["item"]] = {"decision": p["decision"], "note": p.get("note", ""), "at": p.get("at")}
        ctx.vault.audit(conn, actor=ctx.who, action="formulation.decisions.read", target=client_id,
                        detail={"model": model, "decisions": len(out)})
    return out


def apply_decisions(f: concept.Formulation, decisions: Mapping[str, Mapping[str, Any]]) -> concept.Formulation:
    """The formulation with each stored decision shown on its hypothesis (decisions on items no longer
    proposed — the sessions changed — are left out)."""
    ids = {h.id for h in f.items}
    for item, d in decisions.items():
        if item in ids:
            f = concept.decide(f, item, d["decision"], d.get("note") or "")
    return f


def client_formulation(ctx: Ctx, client_id: str, model: str = "5p") -> concept.Formulation:
    """The client's conceptualization scaffold with the clinician's stored decisions applied."""
    with unit_of_work(ctx) as conn:
        client_row(ctx, conn, Action.NOTE_READ, client_id)
    f = nw.client_conceptualization(ctx, client_id, model)
    return apply_decisions(f, formulation_decisions(ctx, client_id, model))
