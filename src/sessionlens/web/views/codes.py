"""Therapist interventions and client talk from per-utterance codes, beside the MITI 4.2.1 ranges.

Coding is another engineer's analyzer and its field names may grow; this reads the likely ones
(``mi_code``/``code`` for therapist behaviour, ``client_talk``/``talk_type`` for client talk) and
shows nothing when none is present.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

CODE_FIELDS = ("mi_code", "code", "therapist_code", "behaviour", "behavior")
TALK_FIELDS = ("client_talk", "talk_type", "client_code")
MITI = {"rq": "MITI 4.2.1 reference: 1:1 (fair), 2:1 (good)", "cr": "MITI 4.2.1 reference: 40% (fair), 50% (good)"}


def _value(u: dict[str, Any], fields: tuple[str, ...]) -> str | None:
    for f in fields:
        v = u.get(f)
        if isinstance(v, dict):
            v = v.get("label") or v.get("code")
        if isinstance(v, str) and v:
            return v
    return None


def interventions(utterances: list[dict[str, Any]]) -> dict[str, Any] | None:
    codes = Counter(c for u in utterances if u.get("role") == "therapist" and (c := _value(u, CODE_FIELDS)))
    if not codes:
        return None
    low = {k.lower(): v for k, v in codes.items()}
    questions = sum(v for k, v in low.items() if "question" in k)
    reflections = sum(v for k, v in low.items() if "reflection" in k)
    complex_ = sum(v for k, v in low.items() if "reflection" in k and "complex" in k)
    return {
        "counts": codes.most_common(),
        "rq": f"{reflections / questions:.2f} : 1" if questions else None,
        "cr": f"{complex_ / reflections * 100:.0f}%" if reflections else None,
        "questions": questions, "reflections": reflections, "miti": MITI,
    }


def client_talk(utterances: list[dict[str, Any]]) -> dict[str, Any] | None:
    talk = Counter(t.lower() for u in utterances if u.get("role") == "client" and (t := _value(u, TALK_FIELDS)))
    if not talk:
        return None
    change = sum(v for k, v in talk.items() if "change" in k)
    sustain = sum(v for k, v in talk.items() if "sustain" in k)
    share = change / (change + sustain) if change + sustain else None
    return {"counts": talk.most_common(), "change": change, "sustain": sustain, "change_share": share}


def code_of(u: dict[str, Any]) -> str | None:
    return _value(u, CODE_FIELDS) if u.get("role") == "therapist" else _value(u, TALK_FIELDS)
