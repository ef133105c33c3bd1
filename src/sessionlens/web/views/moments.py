"""Findings grouped for the review page, each with the moment it links to."""

from __future__ import annotations

from ...payloads.document import FindingJson
from ...payloads.web_review import Moment, MomentGroup
from ..format import clock

GROUPS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("relational", "Relational moments", frozenset({"rupture", "repair", "yes_but_chain", "here_and_now",
                                                   "self_disclosure", "client_initiated_topic"})),
    ("risk", "Risk language for your review", frozenset({"risk"})),
    ("themes", "Themes", frozenset({"theme"})),
    ("emotions", "Emotional moments", frozenset({"emotion_peak", "emotion_arc"})),
    ("timing", "Timing moments", frozenset({"interruption", "silence_context"})),
)
LABELS = {"yes_but_chain": "“yes, but” chain", "here_and_now": "here-and-now", "self_disclosure": "self-disclosure",
          "client_initiated_topic": "client-initiated topic", "emotion_peak": "emotion peak",
          "emotion_arc": "emotional arc", "silence_context": "silence"}


def moment(finding: FindingJson) -> Moment:
    ev = next((e for e in finding.get("evidence", []) if e.get("utterance_ids")), None)
    return {
        "kind": LABELS.get(finding["kind"], finding["kind"].replace("_", " ")),
        "label": finding.get("label", ""),
        "explanation": finding.get("explanation", ""),
        "confidence": finding.get("confidence"),
        "source": finding.get("source", ""),
        "utterance": ev["utterance_ids"][0] if ev else None,
        "start": ev.get("start") if ev else None,
        "clock": clock(ev.get("start")) if ev else "",
        "note": ev.get("note", "") if ev else "",
    }


def grouped(findings: list[FindingJson]) -> list[MomentGroup]:
    out: list[MomentGroup] = []
    for key, title, kinds in GROUPS:
        items = [moment(f) for f in findings if f.get("kind") in kinds]
        items.sort(key=lambda m: (m["start"] is None, m["start"] or 0.0))
        out.append({"key": key, "title": title, "items": items})
    return out
