"""Shared by the wellbeing and "where do I stand?" check-ins: answers on a small scale, validated."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..errors import InputError
from ..payloads.reflection_checkins import CheckIn
from ..vault.ids import now_iso


def answers(keys: Sequence[str], given: Mapping[str, object], low: int, high: int, *, note_max: int = 2000
            ) -> CheckIn:
    """Every key answered with a whole number in [low, high]; an optional free-text note."""
    unknown = set(given) - set(keys) - {"note"}
    if unknown:
        raise InputError(f"unknown item(s); the items are: {', '.join(keys)}")
    out: dict[str, int] = {}
    for k in keys:
        raw = str(given.get(k, "")).strip()
        if not raw:
            raise InputError(f"{k}: please answer every item")
        if not raw.lstrip("-").isdigit() or not low <= int(raw) <= high:
            raise InputError(f"{k}: a whole number from {low} to {high}")
        out[k] = int(raw)
    note = str(given.get("note", "")).strip()
    if len(note) > note_max:
        raise InputError(f"the note is limited to {note_max} characters")
    return {"answers": out, "note": note, "recorded_at": now_iso()}
