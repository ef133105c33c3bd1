"""The language guard: wording the product never uses about a clinician.

Everything sessionlens says about the person doing the work describes what happened; it never
grades. The list below is checked by tests against every sentence this package, the supervision
packet and the pages produce; :func:`kind` is applied to generated sentences at run time.
"""

from __future__ import annotations

import re

FORBIDDEN: tuple[str, ...] = (
    "failed", "failure", "failing", "fail", "poor", "poorly", "bad", "badly", "should have", "shouldn't have",
    "should not have", "must improve", "need to improve", "needs improvement", "mistake", "wrong", "error on your",
    "inadequate", "incompetent", "deficient", "weak", "worse therapist", "not good enough", "too much",
    "too many", "too few", "grade", "score you", "rating of you", "underperform", "unprofessional", "lazy",
    "careless", "sloppy", "terrible", "awful", "blame", "fault",
)
_RX = re.compile(r"(?i)\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in FORBIDDEN) + r")\b")


def violations(text: str) -> list[str]:
    """The forbidden words or phrases in ``text`` (lower-cased), in order of appearance."""
    return [m.group().lower() for m in _RX.finditer(text)]


class UnkindWordingError(AssertionError):
    """A sentence the product generated about a clinician uses wording from the forbidden list."""


def kind(text: str) -> str:
    """Return ``text`` unchanged if it is free of forbidden wording; raise otherwise (a bug in our wording)."""
    found = violations(text)
    if found:
        raise UnkindWordingError(f"forbidden wording in a generated sentence: {', '.join(sorted(set(found)))}")
    return text
