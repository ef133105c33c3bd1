"""Small display helpers shared by templates and view models."""

from __future__ import annotations


def clock(seconds: float | None) -> str:
    """``m:ss`` (or ``h:mm:ss``) for a time in seconds; an en dash when unknown."""
    if seconds is None:
        return "–"
    total = int(max(seconds, 0))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def percent(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.0f}%"
