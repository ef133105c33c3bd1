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
from typing import Any, cast

from sessionlens.analysis.coding.codes import CodingResult
from sessionlens.analysis.coding.corrections import (ALLOWED, FIELDS, agreement, apply_corrections, label_pair,
                                                     validate)
from sessionlens.analysis.coding.measures import mi_measures
from sessionlens.analysis.coding.premature import premature_advice
from sessionlens.codec import finding_to_dict
from sessionlens.payloads.analysis_coding import Agreement, CodeEntry, CodeFindingModel, Correction
from sessionlens.payloads.document import AnalysisDocument, CodesJson, FindingJson
from sessionlens.payloads.metrics import Metrics
from sessionlens.domain import Transcript
from sessionlens.errors import InputError

CODE_KINDS = ("therapist_behaviour", "client_talk")
FLAG_KIND = "premature_advice"
BY_CLINICIAN = "corrected by the clinician"


def _model_codes(codes: CodesJson) -> CodeEntry:
    stored = cast(CodeEntry, codes)  # a stored utterance's codes may carry the model's values and the mark
    entry = cast(CodeEntry, {k: copy.deepcopy(v) for k, v in stored.items() if k not in ("model", "corrected")})
    entry.update(copy.deepcopy(stored.get("model") or {}))
    return entry


def model_coding(doc: AnalysisDocument) -> CodingResult:
    """The model's coding of the session, as first stored (corrections taken off again)."""
    codes = {u["id"]: _model_codes(u["codes"]) for u in doc.get("utterances", []) if isinstance(u.get("codes"), dict)}
    coding = cast(Mapping[str, Any], doc.get("metrics", {})).get("coding") or {}  # an analyzer's untyped section
    return CodingResult((), codes, coding.get("model", "unknown"))


def effective(corrections: Iterable[Correction]) -> list[Correction]:
    """The latest correction per (utterance, field), in the order they were first made."""
    latest: dict[tuple[str, str], Correction] = {}
    for c in corrections:
        latest[(c["utterance_id"], c["field"])] = c.copy()
    return list(latest.values())


def applicable(base: CodingResult, corrections: Iterable[Correction]) -> tuple[list[Correction], int]:
    """(corrections that still fit the session, how many no longer do — e.g. after a speaker change)."""
    ok: list[Correction] = []
    stale = 0
    for c in effective(corrections):
        try:
            validate(c, base)
        except InputError:
            stale += 1
            continue
        ok.append(c)
    return ok, stale


def corrected_coding(base: CodingResult, corrections: Sequence[Correction]) -> CodingResult:
    """``apply_corrections`` that also keeps the model's confidence beside its codes."""
    out = apply_corrections(base, corrections)
    for uid, entry in out.codes.items():
        if entry.get("corrected"):
            entry["model"]["confidence"] = base.codes[uid].get("confidence")
    return out


def recoded_document(doc: AnalysisDocument, transcript: Transcript,
                     corrections: Iterable[Correction]) -> tuple[AnalysisDocument, int]:
    """A copy of ``doc`` with the applicable corrections and everything derived from codes recomputed."""
    base = model_coding(doc)
    fits, stale = applicable(base, corrections)
    coding = corrected_coding(base, fits)
    out = copy.deepcopy(doc)
    for u in out.get("utterances", []):
        if u["id"] in coding.codes:
            u["codes"] = coding.codes[u["id"]]
    measures = mi_measures(transcript, coding)
    metrics = out.setdefault("metrics", cast(Metrics, {}))
    metrics.update(copy.deepcopy(measures))
    sections = cast(dict[str, object], metrics)  # metrics.coding is the analyzer's own (untyped) section
    model = cast(Mapping[str, Any], sections.get("coding") or {}).get("model", "unknown")
    sections["coding"] = {"model": model, "corrections": len(fits)}
    out["findings"] = _findings(out.get("findings", []), coding, transcript)
    return out, stale


def _findings(findings: list[FindingJson], coding: CodingResult, transcript: Transcript) -> list[FindingJson]:
    kept = [_code_finding(f, coding) if f.get("kind") in CODE_KINDS else f
            for f in findings if f.get("kind") != FLAG_KIND]
    return kept + [finding_to_dict(f) for f in premature_advice(transcript, coding)]


def _uid(finding: FindingJson) -> str | None:
    ev = finding.get("evidence")
    ids = ev[0].get("utterance_ids") if ev else None
    return ids[0] if ids else None


def _model_finding(f: FindingJson) -> CodeFindingModel:
    """The model's own label, confidence, explanation and sub-codes of a code finding."""
    data = cast(Mapping[str, Any], f.get("data") or {})  # a code finding's data: CodeData, + model once corrected
    if isinstance(data.get("model"), dict):
        return cast(CodeFindingModel, dict(data["model"]))
    return {"label": f.get("label"), "confidence": f.get("confidence"), "explanation": f.get("explanation"),
            "subcodes": list(data.get("subcodes") or [])}


def _code_finding(f: FindingJson, coding: CodingResult) -> FindingJson:
    model = _model_finding(f)
    data: dict[str, object] = {k: v for k, v in (f.get("data") or {}).items() if k not in ("model", "corrected")}
    data["subcodes"] = model["subcodes"]
    restored = cast(FindingJson, {**f, "label": model["label"], "confidence": model["confidence"],
                                  "explanation": model["explanation"], "data": data})
    entry = cast(Mapping[str, Any], coding.codes.get(_uid(f) or "", {}))  # read by the finding's kind
    if not entry.get("corrected"):
        return restored
    why = f"{BY_CLINICIAN}; the model said {model['label']} (p={model['confidence']})"
    return cast(FindingJson, {**restored, "label": entry.get(f["kind"]), "confidence": 1.0, "explanation": why,
                              "data": {**data, "subcodes": list(entry.get("therapist_subcodes") or []),
                                       "corrected": True, "model": model}})


def pairs(base: CodingResult, corrections: Iterable[Correction]) -> dict[str, list[tuple[str, str]]]:
    """(model, clinician) label pairs per field over the applicable corrections."""
    out: dict[str, list[tuple[str, str]]] = {f: [] for f in ALLOWED}
    for c in applicable(base, corrections)[0]:
        if c["field"] in out:
            out[c["field"]].append(label_pair(base, c))
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
