"""Clinician code corrections applied to a stored analysis document (pure: dicts in, dicts out).

The document keeps, on every corrected utterance, the model's own values under ``codes.model``
(and on its code finding under ``data.model``), so the model's coding can always be rebuilt from
the document, the full list of corrections re-applied, and every derived part recomputed:
per-utterance codes, the code findings, the premature-advice flags and the MI measures
(``metrics.interventions`` and ``metrics.client_talk``; ``metrics.coding`` keeps the model name and the count).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sessionlens.analysis.coding.codes import CodingResult
from sessionlens.analysis.coding.corrections import ALLOWED, FIELDS, agreement, apply_corrections, validate
from sessionlens.analysis.coding.measures import mi_measures
from sessionlens.analysis.coding.premature import premature_advice
from sessionlens.codec import finding_to_dict
from sessionlens.payloads.analysis_coding import Agreement
from sessionlens.domain import Transcript
from sessionlens.errors import InputError

CODE_KINDS = ("therapist_behaviour", "client_talk")
FLAG_KIND = "premature_advice"
BY_CLINICIAN = "corrected by the clinician"


def _model_codes(codes: Mapping[str, Any]) -> dict[str, Any]:
    entry = {k: copy.deepcopy(v) for k, v in codes.items() if k not in ("model", "corrected")}
    entry.update(copy.deepcopy(codes.get("model") or {}))
    return entry


def model_coding(doc: Mapping[str, Any]) -> CodingResult:
    """The model's coding of the session, as first stored (corrections taken off again)."""
    codes = {u["id"]: _model_codes(u["codes"]) for u in doc.get("utterances", []) if isinstance(u.get("codes"), dict)}
    model = (doc.get("metrics", {}).get("coding") or {}).get("model", "unknown")
    return CodingResult((), codes, model)


def effective(corrections: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The latest correction per (utterance, field), in the order they were first made."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for c in corrections:
        latest[(c["utterance_id"], c["field"])] = dict(c)
    return list(latest.values())


def applicable(base: CodingResult, corrections: Iterable[Mapping[str, Any]]) -> tuple[list[dict], int]:
    """(corrections that still fit the session, how many no longer do — e.g. after a speaker change)."""
    ok, stale = [], 0
    for c in effective(corrections):
        try:
            validate(c, base)
        except InputError:
            stale += 1
            continue
        ok.append(c)
    return ok, stale


def corrected_coding(base: CodingResult, corrections: Sequence[Mapping[str, Any]]) -> CodingResult:
    """``apply_corrections`` that also keeps the model's confidence beside its codes."""
    out = apply_corrections(base, corrections)
    for uid, entry in out.codes.items():
        if entry.get("corrected"):
            entry["model"]["confidence"] = base.codes[uid].get("confidence")
    return out


def recoded_document(doc: Mapping[str, Any], transcript: Transcript,
                     corrections: Iterable[Mapping[str, Any]]) -> tuple[dict[str, Any], int]:
    """A copy of ``doc`` with the applicable corrections and everything derived from codes recomputed."""
    base = model_coding(doc)
    fits, stale = applicable(base, corrections)
    coding = corrected_coding(base, fits)
    out = copy.deepcopy(dict(doc))
    for u in out.get("utterances", []):
        if u["id"] in coding.codes:
            u["codes"] = coding.codes[u["id"]]
    measures = mi_measures(transcript, coding)
    metrics = out.setdefault("metrics", {})
    metrics.update(copy.deepcopy(measures))
    metrics["coding"] = {"model": (metrics.get("coding") or {}).get("model", "unknown"), "corrections": len(fits)}
    out["findings"] = _findings(out.get("findings", []), coding, transcript)
    return out, stale


def _findings(findings: list[dict[str, Any]], coding: CodingResult, transcript: Transcript) -> list[dict]:
    kept = [_code_finding(f, coding) if f.get("kind") in CODE_KINDS else f
            for f in findings if f.get("kind") != FLAG_KIND]
    return kept + [dict(finding_to_dict(f)) for f in premature_advice(transcript, coding)]


def _uid(finding: Mapping[str, Any]) -> str | None:
    ev = finding.get("evidence") or [{}]
    ids = ev[0].get("utterance_ids") or [None]
    return ids[0]


def _model_finding(f: Mapping[str, Any]) -> dict[str, Any]:
    """The model's own label, confidence, explanation and sub-codes of a code finding."""
    data = f.get("data") or {}
    if isinstance(data.get("model"), dict):
        return dict(data["model"])
    return {"label": f.get("label"), "confidence": f.get("confidence"), "explanation": f.get("explanation"),
            "subcodes": list(data.get("subcodes") or [])}


def _code_finding(f: dict[str, Any], coding: CodingResult) -> dict[str, Any]:
    model = _model_finding(f)
    data = {k: v for k, v in (f.get("data") or {}).items() if k not in ("model", "corrected")}
    data["subcodes"] = model["subcodes"]
    restored = {**f, "label": model["label"], "confidence": model["confidence"],
                "explanation": model["explanation"], "data": data}
    entry = coding.codes.get(_uid(f) or "", {})
    if not entry.get("corrected"):
        return restored
    why = f"{BY_CLINICIAN}; the model said {model['label']} (p={model['confidence']})"
    return {**restored, "label": entry.get(f["kind"]), "confidence": 1.0, "explanation": why,
            "data": {**data, "subcodes": list(entry.get("therapist_subcodes") or []), "corrected": True,
                     "model": model}}


def pairs(base: CodingResult, corrections: Iterable[Mapping[str, Any]]) -> dict[str, list[tuple[str, str]]]:
    """(model, clinician) label pairs per field over the applicable corrections."""
    out: dict[str, list[tuple[str, str]]] = {f: [] for f in ALLOWED}
    for c in applicable(base, corrections)[0]:
        if c["field"] in out:
            out[c["field"]].append((base.codes[c["utterance_id"]][c["field"]], c["value"]))
    return out


def pooled_agreement(per_session: Iterable[Mapping[str, list[tuple[str, str]]]]) -> dict[str, Agreement]:
    """Agreement and kappa per field over the pairs of several sessions together."""
    pooled: dict[str, list[tuple[str, str]]] = {f: [] for f in ALLOWED}
    for p in per_session:
        for field, items in p.items():
            pooled[field].extend(items)
    return {f: agreement(items) for f, items in pooled.items()}


__all__ = ["FIELDS", "applicable", "corrected_coding", "effective", "model_coding", "pairs", "pooled_agreement",
           "recoded_document"]
