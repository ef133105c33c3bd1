"""Re-train the coding heads on a clinician's own reviewed codes, judged by grouped CV first (pure).

``sessionlens code retrain`` gathers every utterance the clinician corrected or confirmed. The shipped
featurizer stays as it is (its vocabularies came from AnnoMI); only the linear heads move: a softmax
regression warm-started at the shipped weights with an L2 pull back towards them, because a clinician's
corrections are a few dozen rows against the thousands the heads were fit on. Before the new heads may
replace the old ones, the same procedure is run as grouped cross-validation over the clinician's sessions
(fit on the other sessions' reviews, score this session's): the new heads are kept only when they agree with
the clinician more often than the old ones on sessions they never saw, do not lower macro-F1, and do not
change more than ``MAX_DRIFT`` of the codes the clinician has not reviewed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize

from sessionlens.analysis.coding.artifact import CodingModel, LinearHead, RoleModel
from sessionlens.analysis.coding.codes import RETRAINED, code_transcript
from sessionlens.analysis.coding.features import Turn, session_rows
from sessionlens.analysis.coding.scheme import FAMILIES
from sessionlens.domain import Role, Transcript
from sessionlens.payloads.analysis_coding import GroupedCv, HeadComparison, HeadDelta, HeadScore, RetrainedHeads

STRENGTH = 0.1  # L2 pull towards the shipped weights (per row-averaged loss); larger: more conservative
MIN_REVIEWED = 20  # reviewed utterances needed before any re-training is tried
MIN_SESSIONS = 2  # grouped CV needs at least two sessions
MAX_FOLDS = 5
MAX_DRIFT = 0.2  # share of unreviewed held-out codes the new heads may change


@dataclass(frozen=True)
class Row:
    """One coded utterance: its features under the shipped featurizer, the model's and the clinician's codes."""

    session: str
    head: str  # "therapist" | "client" | "sub:<main label>"
    x: sp.csr_matrix  # (1, features)
    label: str | None  # the clinician's code; None where the clinician has not reviewed it


def _turns(t: Transcript) -> list[Turn]:
    return [Turn(u.role.value if isinstance(u.role, Role) else str(u.role), u.text or "") for u in t.utterances]


def session_rows_for(model: CodingModel, session: str, transcript: Transcript,
                     reviewed: Mapping[str, Mapping[str, Any]]) -> list[Row]:
    """Rows for every coded utterance of one session. ``reviewed``: utterance id -> the clinician's effective
    codes ({"therapist_behaviour"/"client_talk": label, "therapist_subcodes": [...]}, only fields reviewed)."""
    turns, out = _turns(transcript), []
    for role, rm in (("therapist", model.therapist), ("client", model.client)):
        idx, docs, dense = session_rows(turns, role)
        if not idx:
            continue
        x = rm.featurizer.transform(docs, dense)
        field = "therapist_behaviour" if role == "therapist" else "client_talk"
        for r, i in enumerate(idx):
            mine = reviewed.get(transcript.utterances[i].id, {})
            out.append(Row(session, role, x[r], mine.get(field)))
            sub = _subcode(rm, mine)
            if sub:
                out.append(Row(session, f"sub:{sub[0]}", x[r], sub[1]))
    return out


def _subcode(rm: RoleModel, mine: Mapping[str, Any]) -> tuple[str, str] | None:
    """(main label, sub-code) where the clinician gave both a behaviour and a sub-code its head knows."""
    main, subs = mine.get("therapist_behaviour"), mine.get("therapist_subcodes")
    head = rm.subheads.get(main) if main else None
    if head is None or not subs:
        return None
    known = [s for s in subs if s in head.labels]
    return (main, known[0]) if known and main else None  # a head was found, so main is set


def _heads(model: CodingModel) -> dict[str, LinearHead]:
    out = {"therapist": model.therapist.head, "client": model.client.head}
    out.update({f"sub:{m}": h for m, h in model.therapist.subheads.items()})
    return out


def fit_head(head: LinearHead, x: sp.csr_matrix, labels: Sequence[str]) -> LinearHead:
    """Softmax regression over ``x`` warm-started at ``head``, L2-pulled back to it. Only columns some row
    uses can move (the rest have no gradient), so the problem is solved on those columns alone."""
    cols = np.unique(x.indices)
    xs = x[:, cols].toarray().astype(np.float64)
    k = len(head.labels)
    y = np.zeros((len(labels), k))
    y[np.arange(len(labels)), [head.labels.index(lab) for lab in labels]] = 1.0
    base = np.asarray(x @ head.coef.T, dtype=np.float64) + head.intercept

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        dw, db = theta[: k * len(cols)].reshape(k, len(cols)), theta[k * len(cols):]
        z = (base + xs @ dw.T + db) / head.temperature
        z -= z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        p, n = np.exp(logp), len(labels)
        g = (p - y) / (n * head.temperature)
        value = -(y * logp).sum() / n + 0.5 * STRENGTH * (theta @ theta)
        return value, np.concatenate([(g.T @ xs).ravel(), g.sum(axis=0)]) + STRENGTH * theta

    theta = minimize(loss, np.zeros(k * (len(cols) + 1)), jac=True, method="L-BFGS-B",
                     options={"maxiter": 200}).x
    coef = head.coef.astype(np.float64).copy()
    coef[:, cols] += theta[: k * len(cols)].reshape(k, len(cols))
    return replace(head, coef=coef.astype(np.float32),
                   intercept=(head.intercept + theta[k * len(cols):]).astype(np.float32))


def fit_all(model: CodingModel, rows: Sequence[Row]) -> dict[str, LinearHead]:
    """New heads for every head with reviewed rows (the others are left out: they stay as shipped)."""
    out = {}
    for name, head in _heads(model).items():
        mine = [(r, r.label) for r in rows if r.head == name and r.label is not None and r.label in head.labels]
        if mine:
            out[name] = fit_head(head, sp.vstack([r.x for r, _ in mine], format="csr"), [lab for _, lab in mine])
    return out


@dataclass(frozen=True)
class Reviewed:
    """One session the clinician reviewed: the transcript and their effective codes per utterance id."""

    session: str
    transcript: Transcript
    codes: Mapping[str, Mapping[str, Any]]


def rows_of(model: CodingModel, reviewed: Sequence[Reviewed]) -> list[Row]:
    return [r for s in reviewed for r in session_rows_for(model, s.session, s.transcript, s.codes)]


def _pairs(coded: Mapping[str, Any], mine: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(head name, the coder's code, the clinician's code) for one reviewed utterance."""
    out: list[tuple[str, str, str]] = []
    for field, name in (("therapist_behaviour", "therapist"), ("client_talk", "client")):
        if mine.get(field) is not None and coded.get(field) is not None:
            out.append((name, coded[field], mine[field]))
    main, family = mine.get("therapist_behaviour"), FAMILIES.get(mine.get("therapist_behaviour") or "", ())
    want = [s for s in mine.get("therapist_subcodes") or () if s in family]
    if want and coded.get("therapist_behaviour") is not None:
        got = [s for s in coded.get("therapist_subcodes") or () if s in family]
        out.append((f"sub:{main}", got[0] if got else "none", want[0]))
    return out


def _macro_f1(truth: Sequence[str], pred: Sequence[str]) -> float | None:
    labels = sorted(set(truth))
    if not labels:
        return None
    f1 = []
    for lab in labels:
        tp = sum(t == lab and p == lab for t, p in zip(truth, pred, strict=True))
        fp = sum(t != lab and p == lab for t, p in zip(truth, pred, strict=True))
        fn = sum(t == lab and p != lab for t, p in zip(truth, pred, strict=True))
        f1.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return round(float(np.mean(f1)), 3)


def _score(truth: list[str], pred: list[str]) -> HeadScore:
    n = len(truth)
    acc = round(sum(t == p for t, p in zip(truth, pred, strict=True)) / n, 3) if n else None
    return {"n": n, "accuracy": acc, "macro_f1": _macro_f1(truth, pred)}


def grouped_cv(model: CodingModel, reviewed: Sequence[Reviewed]) -> GroupedCv:
    """The whole coder (heads and rules) with the shipped heads and with heads re-trained on the other sessions'
    reviews, scored on each left-out session's reviewed codes, pooled per head; and the share of the left-out
    sessions' unreviewed codes the new heads change."""
    names = sorted({s.session for s in reviewed})
    k = min(MAX_FOLDS, len(names))
    pooled: dict[str, dict[str, list[str]]] = {}
    changed = unreviewed = 0
    for f in range(k):
        held = set(names[f::k])
        train = [r for r in rows_of(model, [s for s in reviewed if s.session not in held]) if r.label is not None]
        new_model = with_heads(model, fit_all(model, train))
        for s in (s for s in reviewed if s.session in held):
            old, new = code_transcript(s.transcript, model).codes, code_transcript(s.transcript, new_model).codes
            for uid, mine in s.codes.items():
                for (name, a, truth), (_, b, _) in zip(_pairs(old[uid], mine), _pairs(new[uid], mine), strict=True):
                    acc = pooled.setdefault(name, {"truth": [], "old": [], "new": []})
                    acc["truth"].append(truth)
                    acc["old"].append(a)
                    acc["new"].append(b)
            rest = [uid for uid in old if uid not in s.codes]
            unreviewed += len(rest)
            changed += sum(_label(old[u]) != _label(new[u]) for u in rest)
    per_head: dict[str, HeadComparison] = {name: {"old": _score(v["truth"], v["old"]), "new": _score(v["truth"], v["new"])}
                for name, v in sorted(pooled.items())}
    return {"folds": k, "sessions": len(names), "heads": per_head,
            "drift": round(changed / unreviewed, 3) if unreviewed else 0.0}


def _label(codes: Mapping[str, Any]) -> str | None:
    return codes.get("therapist_behaviour") or codes.get("client_talk")


def verdict(report: Mapping[str, Any]) -> tuple[bool, str]:
    """Keep the new heads only if, pooled over every head, held-out accuracy rises, no head's macro-F1 falls,
    and the unreviewed codes mostly stay as they were."""
    heads = report["heads"]
    if not heads:
        return False, "no reviewed codes in sessions left out of the fit"
    n = sum(h["old"]["n"] for h in heads.values())
    old = sum(h["old"]["accuracy"] * h["old"]["n"] for h in heads.values()) / n
    new = sum(h["new"]["accuracy"] * h["new"]["n"] for h in heads.values()) / n
    worse = [name for name, h in heads.items() if (h["new"]["macro_f1"] or 0) < (h["old"]["macro_f1"] or 0)]
    if new <= old:
        return False, f"held-out agreement with your codes {new:.3f} is not above the current heads' {old:.3f}"
    if worse:
        return False, f"macro-F1 falls on held-out sessions for: {', '.join(sorted(worse))}"
    if report["drift"] > MAX_DRIFT:
        return False, f"the new heads change {report['drift']:.0%} of the codes you have not reviewed " \
                      f"(at most {MAX_DRIFT:.0%} allowed)"
    return True, f"held-out agreement with your codes {old:.3f} -> {new:.3f}"


def with_heads(model: CodingModel, heads: Mapping[str, LinearHead]) -> CodingModel:
    """``model`` with the named heads replaced (names as in :func:`fit_all`)."""
    subs = {m: heads.get(f"sub:{m}", h) for m, h in model.therapist.subheads.items()}
    therapist = replace(model.therapist, head=heads.get("therapist", model.therapist.head), subheads=subs)
    client = replace(model.client, head=heads.get("client", model.client.head))
    meta = {**model.meta, "version": f"{model.meta.get('version', '?')}{RETRAINED}"}
    return replace(model, therapist=therapist, client=client, meta=meta)


def base_id(model: CodingModel) -> str:
    """The shipped model the deltas apply to (its recorded file hashes): heads fit on another are refused."""
    files = model.meta.get("files") or model.meta.get("sha256") or {}
    return ",".join(f"{k}={v[:16]}" for k, v in sorted(files.items()))


def to_payload(model: CodingModel, heads: Mapping[str, LinearHead]) -> RetrainedHeads:
    """JSON-able deltas from the shipped heads (only the columns that moved), for sealed storage."""
    old = _heads(model)
    out: dict[str, HeadDelta] = {}
    for name, head in heads.items():
        delta = head.coef.astype(np.float64) - old[name].coef.astype(np.float64)
        cols = np.flatnonzero(np.abs(delta).max(axis=0) > 0)
        out[name] = {"cols": cols.tolist(), "coef": np.round(delta[:, cols], 6).tolist(),
                     "intercept": np.round(head.intercept.astype(np.float64) - old[name].intercept, 6).tolist()}
    return {"base": base_id(model), "heads": out}


def from_payload(model: CodingModel, payload: Mapping[str, Any]) -> dict[str, LinearHead]:
    """The heads stored by :func:`to_payload`; ValueError when they belong to another shipped model."""
    if payload.get("base") != base_id(model):
        raise ValueError("these coding heads were re-trained from another version of the shipped model")
    old = _heads(model)
    out: dict[str, LinearHead] = {}
    for name, d in payload["heads"].items():
        coef = old[name].coef.astype(np.float64).copy()
        coef[:, np.asarray(d["cols"], dtype=np.int64)] += np.asarray(d["coef"], dtype=np.float64).reshape(
            len(old[name].labels), len(d["cols"]))
        out[name] = replace(old[name], coef=coef.astype(np.float32),
                            intercept=(old[name].intercept + np.asarray(d["intercept"])).astype(np.float32))
    return out


__all__ = ["MAX_DRIFT", "MIN_REVIEWED", "MIN_SESSIONS", "Reviewed", "Row", "base_id", "fit_all", "fit_head",
           "from_payload", "grouped_cv", "rows_of", "session_rows_for", "to_payload", "verdict", "with_heads"]
