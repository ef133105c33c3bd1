"""A first note draft when none is stored yet, and the note's evidence resolved to moments.

The note writer (another engineer's ``sessionlens.notes``) will produce real drafts; until it is
there, the draft is a DAP scaffold whose sentences restate measured data, each with its evidence,
for the clinician to rewrite. It never invents content: empty sentences are left for them.
"""

from __future__ import annotations

from typing import Any

from ..format import clock, percent


def _sentence(text: str, evidence: list[str | None]) -> dict[str, Any]:
    return {"text": text, "evidence": [e for e in evidence if e]}


def _data_sentences(doc: dict[str, Any]) -> list[dict[str, Any]]:
    m = doc.get("metrics", {})
    talk = m.get("talk_time", {})
    out = []
    if m.get("duration_seconds"):
        first = doc["utterances"][0]["id"] if doc.get("utterances") else None
        out.append(_sentence(f"Session length {clock(m['duration_seconds'])}.", [first]))
    if "client" in talk:
        c = talk["client"]
        out.append(_sentence(f"The client spoke {percent(c.get('share'))} of the talk time; the longest client "
                             f"turn lasted {clock(c.get('longest_turn_seconds'))}.",
                             (c.get("longest_turn_utterance_ids") or [])[:1]))
    for f in doc.get("findings", []):
        ev = [i for e in f.get("evidence", []) for i in e.get("utterance_ids", [])][:3]
        if f.get("kind") == "theme":
            out.append(_sentence(f"Theme discussed: {f.get('label')}.", ev))
        elif f.get("kind") == "risk":
            out.append(_sentence(f"Language flagged for review ({f.get('label')}); see the moment.", ev))
    return out


def starter(doc: dict[str, Any]) -> dict[str, Any]:
    return {"format": "DAP", "status": "draft", "sections": [
        {"title": "Data", "sentences": _data_sentences(doc)},
        {"title": "Assessment", "sentences": [_sentence("", [])]},
        {"title": "Plan", "sentences": [_sentence("", [])]},
    ]}


def evidence_index(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """utterance id → what the evidence pop-up shows (speaker role, time, text)."""
    return {u["id"]: {"role": u.get("role"), "clock": clock(u.get("start")), "start": u.get("start"),
                      "text": u.get("text", "")} for u in doc.get("utterances", [])}
