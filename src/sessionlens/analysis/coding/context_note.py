"""A few words on the turn before a coded one, so a code explains the context the model read."""

from __future__ import annotations

from collections.abc import Sequence

from sessionlens.analysis.coding.features import Turn, clean
from sessionlens.analysis.coding.miti import ADVICE_REQUEST


def context_note(turns: Sequence[Turn], i: int) -> str:
    """E.g. "client asked for ideas ('what should i')", "after a client question", "opening of the session"."""
    if i == 0:
        return "opening of the session"
    prev = turns[i - 1]
    text = clean(prev.text)
    if prev.role == "client" and turns[i].role != "client":
        ask = ADVICE_REQUEST.search(text)
        if ask:
            return f"client asked for ideas ('{ask.group(0)}')"
    if prev.role == turns[i].role:
        return f"continues the {prev.role}'s previous turn"
    return f"after a {prev.role} question" if "?" in prev.text else f"after a {prev.role} turn"
