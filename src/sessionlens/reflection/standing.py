"""Where do I stand? A private reflective check-in written for sessionlens on the five dimensions
that separate healthy responsibility from perfectionism. Each is a line between two statements; the
clinician places themselves from 1 (closer to the first) to 5 (closer to the second). Nothing is
scored: positions are kept over time and shown beside the session data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..payloads.reflection_checkins import CheckIn, StandingHistoryRow, StandingRow
from .checkin import answers
from .language import kind

# (key, dimension, first statement, second statement)
DIMENSIONS: tuple[tuple[str, str, str, str], ...] = (
    ("goal", "The treatment goal",
     "Therapy is a process; change can be slow and uneven and still be change.",
     "If symptoms do not lift soon, the therapy is not working."),
    ("setbacks", "Setbacks",
     "When a session goes off course, I look for what can be repaired.",
     "When a session goes off course, I go over my part in it again and again."),
    ("resistance", "Client resistance",
     "Pushback from a client is often a protection that makes sense in their story.",
     "Pushback from a client feels like a verdict on me."),
    ("limits", "My limits",
     "When a case is beyond my scope, I can refer on or share it.",
     "I feel I have to carry every case by myself."),
    ("supervision", "Supervision",
     "Supervision is a place to grow.",
     "Supervision feels like being exposed."),
)
KEYS = tuple(d[0] for d in DIMENSIONS)


def record(given: Mapping[str, object]) -> CheckIn:
    return answers(KEYS, given, 1, 5)


def _where(value: int, first: str, second: str) -> str:
    if value <= 2:
        return f"closer to \u201c{first.rstrip('.')}\u201d"
    if value >= 4:
        return f"closer to \u201c{second.rstrip('.')}\u201d"
    return "in between the two"


def describe(entry: Mapping[str, Any], previous: Mapping[str, Any] | None = None) -> list[StandingRow]:
    """Each dimension: where the clinician placed themselves, and the movement since last time."""
    rows: list[StandingRow] = []
    for key, name, first, second in DIMENSIONS:
        value = entry["answers"][key]
        moved = ""
        if previous is not None:
            delta = value - previous["answers"][key]
            moved = "" if delta == 0 else f" Since last time you moved {abs(delta)} step(s) toward the " \
                f"{'second' if delta > 0 else 'first'} statement."
        rows.append({"key": key, "dimension": name, "value": value, "first": first, "second": second,
                     "sentence": kind(f"{name}: {_where(value, first, second)}.{moved}")})
    return rows


def history(entries: Sequence[Mapping[str, Any]]) -> list[StandingHistoryRow]:
    out: list[StandingHistoryRow] = []
    for n, e in enumerate(entries):
        out.append({"recorded_at": e["recorded_at"], "note": e.get("note", ""),
                    "dimensions": describe(e, entries[n - 1] if n else None)})
    return out
