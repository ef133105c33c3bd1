"""Therapist interventions and client talk beside the MITI 4.2.1 reference ranges.

Read from the clinical-coding analyzer's output: ``metrics.coding`` for the counts and measures,
each utterance's ``codes`` for the label shown on its transcript line. Missing parts show nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from ...payloads.document import AnalysisDocument, UtteranceJson
from ...payloads.web_review import ClientTalkView, CourseRow, InterventionsView
from ..format import clock
from .analysis_doc import metrics_of


def interventions(doc: AnalysisDocument) -> InterventionsView | None:
    m = metrics_of(doc).get("interventions")
    if not m or not m.get("utterances_coded"):
        return None
    ref = cast(Mapping[str, Any], m.get("reference", {}))  # measures.REFERENCE: MITI ranges, published untyped
    rq, cr = ref.get("reflection_to_question_ratio", {}), ref.get("percent_complex_reflections", {})
    return {
        "counts": sorted(m.get("counts", {}).items(), key=lambda kv: -kv[1]),
        "questions": m.get("questions", {}), "reflections": m.get("reflections", {}),
        "rq": m.get("reflection_to_question_ratio"),
        "cr": m.get("reflections", {}).get("percent_complex"),
        "rq_ref": f"{ref.get('source', 'MITI 4.2.1')}: {rq.get('fair')} (fair), {rq.get('good')} (good)" if rq else "",
        "cr_ref": f"{ref.get('source', 'MITI 4.2.1')}: {cr.get('fair')}% (fair), {cr.get('good')}% (good)" if cr else "",
        "note": ref.get("note", ""),
        "behaviours": [(k.replace("_", " "), v) for k, v in m.get("miti_behaviours", {}).items() if v],
        "advice_ids": m.get("advice_without_permission_ids", []),
    }


def client_talk(doc: AnalysisDocument) -> ClientTalkView | None:
    m = metrics_of(doc).get("client_talk")
    if not m or not m.get("utterances_coded"):
        return None
    counts = m.get("counts", {})
    course: list[CourseRow] = [{"clock": f"{clock(c.get('start'))}–{clock(c.get('end'))}", "change": c.get("change", 0),
               "sustain": c.get("sustain", 0), "neutral": c.get("neutral", 0)} for c in m.get("course", [])]
    return {"change": counts.get("change", 0), "sustain": counts.get("sustain", 0),
            "neutral": counts.get("neutral", 0), "percent_change": m.get("percent_change_of_change_and_sustain"),
            "course": course}


def code_of(u: UtteranceJson) -> str | None:
    """The label on a transcript line: behaviour (+ subcodes) for the therapist, talk type for the client."""
    c = u.get("codes")
    if not isinstance(c, dict):
        return None
    behaviour, talk = c.get("therapist_behaviour"), c.get("client_talk")
    if u.get("role") == "therapist" and behaviour:
        subs = ", ".join(c.get("therapist_subcodes") or [])
        return f"{behaviour.replace('_', ' ')}{f' ({subs})' if subs else ''}"
    if u.get("role") == "client" and talk and talk != "neutral":
        return f"{talk} talk"
    return None
