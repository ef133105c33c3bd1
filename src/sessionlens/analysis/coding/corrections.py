"""Clinician corrections of codes: apply them, measure agreement with the model, export for re-training.

Pure functions over plain dicts; storing corrections (sealed, in the vault) is the caller's job.
A correction is ``{"utterance_id": str, "field": "therapist_behaviour" | "client_talk" |
"therapist_subcodes", "value": str | list[str]}``.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any, cast

from sessionlens.analysis.coding.codes import CodingResult
from sessionlens.domain import Transcript
from sessionlens.errors import InputError
from sessionlens.payloads.analysis_coding import Agreement, CodeEntry, TrainingRow
from sessionlens.payloads.services_code_corrections import CodeValue

FIELDS = ("therapist_behaviour", "client_talk", "therapist_subcodes")
ALLOWED = {
    "therapist_behaviour": {"question", "reflection", "therapist_input", "other"},
    "client_talk": {"change", "neutral", "sustain"},
}


def field_value(entry: CodeEntry, field: str) -> CodeValue:
    """One code field named at run time (a correction's ``field``)."""
    return cast(Mapping[str, CodeValue], entry).get(field)


def label_pair(coding: CodingResult, correction: Mapping[str, Any]) -> tuple[str, str]:
    """(model, clinician) label of a valid correction of a label field (``validate``: both are labels)."""
    model = field_value(coding.codes[correction["utterance_id"]], correction["field"])
    return cast(str, model), correction["value"]


def _set_field(entry: CodeEntry, field: str, value: str | list[str]) -> None:
    cast(dict[str, object], entry)[field] = list(value) if field == "therapist_subcodes" else value


def validate(correction: Mapping[str, Any], coding: CodingResult) -> None:
    """Raise InputError for an unknown utterance, field or label (messages carry no content)."""
    uid, field, value = correction.get("utterance_id"), correction.get("field"), correction.get("value")
    if uid not in coding.codes:
        raise InputError(f"correction names an uncoded utterance: {uid!r}")
    if field not in FIELDS:
        raise InputError(f"correction field must be one of {', '.join(FIELDS)}")
    if field in ALLOWED and value not in ALLOWED[field]:
        raise InputError(f"correction value for {field} must be one of {', '.join(sorted(ALLOWED[field]))}")
    if field in ALLOWED and coding.codes[uid].get(field) is None:
        raise InputError(f"utterance {uid!r} has no {field} to correct (wrong role)")
    if field == "therapist_subcodes" and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise InputError("therapist_subcodes correction must be a list of codes")


def apply_corrections(coding: CodingResult, corrections: Iterable[Mapping[str, Any]]) -> CodingResult:
    """A copy of ``coding`` with the clinician's values (confidence 1, marked as corrected)."""
    codes = copy.deepcopy(coding.codes)
    for c in corrections:
        validate(c, coding)
        entry = codes[c["utterance_id"]]
        entry.setdefault("model", {"therapist_behaviour": entry.get("therapist_behaviour"),
                                   "client_talk": entry.get("client_talk"),
                                   "therapist_subcodes": entry.get("therapist_subcodes", [])})
        _set_field(entry, c["field"], c["value"])
        entry["confidence"] = 1.0
        entry["corrected"] = True
    return replace(coding, codes=codes)


def agreement(pairs: Sequence[tuple[str, str]]) -> Agreement:
    """Share of (model, clinician) labels that agree, and Cohen's kappa; None when there are none."""
    n = len(pairs)
    if not n:
        return {"n": 0, "agreement": None, "kappa": None}
    po = sum(a == b for a, b in pairs) / n
    ma, mb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    pe = sum(ma[k] * mb[k] for k in ma) / (n * n)
    kappa = None if pe >= 1 else round((po - pe) / (1 - pe), 3)
    return {"n": n, "agreement": round(po, 3), "kappa": kappa}


def session_agreement(coding: CodingResult, corrections: Iterable[Mapping[str, Any]]) -> dict[str, Agreement]:
    """Model-vs-clinician agreement per field over the utterances the clinician reviewed.

    Every correction counts as a disagreement unless its value equals the model's; utterances the
    clinician confirmed can be passed as corrections with the model's own value.
    """
    pairs: dict[str, list[tuple[str, str]]] = {f: [] for f in ALLOWED}
    for c in corrections:
        validate(c, coding)
        if c["field"] in pairs:
            pairs[c["field"]].append(label_pair(coding, c))
    return {f: agreement(p) for f, p in pairs.items()}


def agreement_over_time(sessions: Iterable[tuple[str, CodingResult, Sequence[Mapping[str, Any]]]]
                        ) -> list[dict[str, str | Agreement]]:
    """[(session date or id, model coding, corrections)] -> one agreement row per session, in order."""
    return [{"session": key, **session_agreement(coding, corr)} for key, coding, corr in sessions]


def training_rows(transcript: Transcript, corrected: CodingResult) -> list[TrainingRow]:
    """AnnoMI-shaped rows (role, text, label) for local re-training with the clinician's codes."""
    rows: list[TrainingRow] = []
    for k, u in enumerate(transcript.utterances):
        c = corrected.codes.get(u.id)
        if c is None:
            continue
        label = c.get("therapist_behaviour") or c.get("client_talk")
        rows.append({"utterance_index": k, "interlocutor": u.role.value, "utterance_text": u.text,
                     "label": label, "subcodes": list(c.get("therapist_subcodes", [])),
                     "corrected": bool(c.get("corrected"))})
    return rows
