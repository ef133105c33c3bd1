"""Tense focus: the share of past, present and future verb markers in each role's speech."""

from __future__ import annotations

import re
from collections import Counter

from ...domain import Transcript
from ...payloads.analysis_relational import TenseFocus
from ..textcues import compile_cues, norm

FUTURE = compile_cues(
    [
        r"will",
        r"won'?t",
        r"\w+'ll",
        r"shall",
        r"gonna",
        r"going to(?! (?:the|a|an|my|your|be at)\b)",
        r"tomorrow",
        r"next (?:week|month|time|year)",
        r"plan(?:ning)? to",
        r"from now on",
    ]
)
PAST = compile_cues(
    [
        r"was",
        r"were",
        r"wasn'?t",
        r"weren'?t",
        r"had",
        r"hadn'?t",
        r"did",
        r"didn'?t",
        r"used to",
        r"went",
        r"got",
        r"said",
        r"told",
        r"came",
        r"felt",
        r"thought",
        r"knew",
        r"saw",
        r"made",
        r"took",
        r"gave",
        r"left",
        r"lost",
        r"died",
        r"became",
        r"began",
        r"ago",
        r"yesterday",
        r"last (?:week|month|time|year|night)",
    ]
)
PRESENT = compile_cues(
    [
        r"am",
        r"is",
        r"are",
        r"isn'?t",
        r"aren'?t",
        r"\w+'m",
        r"\w+'re",
        r"do",
        r"does",
        r"don'?t",
        r"doesn'?t",
        r"can",
        r"can'?t",
        r"feel",
        r"feels",
        r"want",
        r"wants",
        r"need",
        r"needs",
        r"know",
        r"think",
        r"keep",
        r"keeps",
        r"now",
        r"today",
        r"these days",
        r"lately",
    ]
)
_ED = re.compile(r"\b[a-z]{3,}ed\b", re.I)
# -ed words that are usually adjectives here, not past verbs
_ADJ = frozenset(
    "tired interested worried scared bored excited stressed married supposed ashamed overwhelmed "
    "exhausted frustrated embarrassed confused annoyed relieved wiped used need".split()
)


def tense_counts(text: str) -> Counter[str]:
    t = norm(text)
    c: Counter[str] = Counter()
    c["future"] = len(FUTURE.findall(t))
    c["present"] = len(PRESENT.findall(t))
    c["past"] = len(PAST.findall(t)) + sum(1 for w in _ED.findall(t) if w.lower() not in _ADJ)
    return c


def tense_focus(t: Transcript) -> dict[str, TenseFocus]:
    """Per role: share of each tense among the markers found, and the counts behind it."""
    per_role: dict[str, Counter[str]] = {}
    for u in t.utterances:
        per_role.setdefault(u.role.value, Counter()).update(tense_counts(u.text))
    out: dict[str, TenseFocus] = {}
    for role, c in per_role.items():
        total = sum(c.values())
        out[role] = {
            "markers": {k: c[k] for k in ("past", "present", "future")},
            "share": {k: round(c[k] / total, 3) if total else None for k in ("past", "present", "future")},
        }
    return out
