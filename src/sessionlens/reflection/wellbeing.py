"""A short wellbeing check-in for the clinician, written for sessionlens (not a published
instrument). Five statements answered 0 (not at all) to 4 (very much). There is no total and no
cut-off: the summary names what feels supported and what feels stretched, in the clinician's terms."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..payloads.reflection_checkins import CheckIn, WellbeingHistoryRow
from .checkin import answers
from .language import kind

SCALE = ("not at all", "a little", "somewhat", "mostly", "very much")
# (key, statement, what a high answer means: True = supported, False = stretched)
ITEMS: tuple[tuple[str, str, bool], ...] = (
    ("rest", "This week I have had enough rest to be present with clients.", True),
    ("carry", "Sessions have stayed with me long after they ended.", False),
    ("support", "I have had someone to talk difficult cases through with.", True),
    ("meaning", "I have noticed moments of meaning or satisfaction in my work.", True),
    ("boundaries", "I have been able to leave work at work in the evenings.", True),
)
KEYS = tuple(k for k, _, _ in ITEMS)
_SUPPORTED = {"rest": "rest", "support": "people to talk cases through with", "meaning": "meaning in the work",
              "boundaries": "time away from work", "carry": "letting sessions go"}


def record(given: Mapping[str, object]) -> CheckIn:
    return answers(KEYS, given, 0, len(SCALE) - 1)


def _supported(key: str, value: int, high_is_supported: bool) -> bool:
    return value >= 3 if high_is_supported else value <= 1


def summary(entry: Mapping[str, Any]) -> list[str]:
    a = entry["answers"]
    good = [_SUPPORTED[k] for k, _, up in ITEMS if _supported(k, a[k], up)]
    stretched = [_SUPPORTED[k] for k, _, up in ITEMS if not _supported(k, a[k], up) and
                 (a[k] <= 1 if up else a[k] >= 3)]
    lines = []
    if good:
        lines.append(f"Feeling supported this week: {', '.join(good)}.")
    if stretched:
        lines.append(f"Feeling stretched: {', '.join(stretched)}. Small things count here: a short break between "
                     f"sessions, a word with a colleague, a walk after work.")
    if "people to talk cases through with" in stretched:
        lines.append("Peer consultation or supervision is there for exactly these weeks.")
    return [kind(s) for s in lines or ["A week in the middle on every item. Thank you for checking in."]]


def history(entries: Sequence[Mapping[str, Any]]) -> list[WellbeingHistoryRow]:
    return [{"recorded_at": e["recorded_at"], "answers": e["answers"], "summary": summary(e)} for e in entries]
