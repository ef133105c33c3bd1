"""Small text helpers shared by the rule-based detectors: normalising, cue matching, negation scope, times.

Rules here are deliberately transparent: every hit keeps the exact words it matched so a finding can
quote them, and a clinician can see why it fired.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..domain import Evidence, Utterance

_QUOTES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2014": " - ", "\u2013": " - "}
)
_SPACE = re.compile(r"\s+")
# Negators that reverse a cue when they come shortly before it within the same clause.
NEGATORS = re.compile(
    r"\b(?:not|no|never|nor|none|nothing|nobody|neither|without|n't|cannot|"
    r"(?:do|does|did|would|could|should|will|wo|ca|have|has|had|is|are|was|were|am)n't|"
    r"dont|wont|cant|wouldnt|couldnt|didnt|isnt|havent|hasnt)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[.;!?]|\bbut\b|\bthough\b|\bhowever\b|\balthough\b", re.IGNORECASE)
NEGATION_WINDOW = 6  # words before a cue searched for a negator (same clause only)


_ENGLISH = frozenset(
    "the and i you it to a of is that in my me was for not but so be have this what with".split()
)
_LETTERS = re.compile(r"[^\W\d_]+", re.UNICODE)


def looks_english(text: str) -> bool:
    """Mostly ASCII words and, past three words, at least one very common English word."""
    words = [w.lower() for w in _LETTERS.findall(text)]
    if not words:
        return False
    ascii_share = sum(w.isascii() for w in words) / len(words)
    return ascii_share >= 0.8 and (len(words) < 4 or any(w in _ENGLISH for w in words))


def mostly_english(texts: Iterable[str]) -> bool:
    """At least half of the texts that have letters look English (the rule lexicons are English only)."""
    judged = [looks_english(t) for t in texts if _LETTERS.search(t)]
    return bool(judged) and sum(judged) >= 0.5 * len(judged)


def norm(text: str) -> str:
    """Normalise quotes and dashes and collapse whitespace (case is kept for quoting)."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


def compile_cues(patterns: Iterable[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Hit:
    label: str
    words: str  # the exact text matched
    start: int  # character offsets in the normalised text
    end: int


def find_hits(text: str, cues: Mapping[str, re.Pattern[str]]) -> list[Hit]:
    """Every cue match in normalised text, in order of position."""
    hits = [
        Hit(label, m.group(0), m.start(), m.end()) for label, rx in cues.items() for m in rx.finditer(text)
    ]
    return sorted(hits, key=lambda h: (h.start, -h.end))


def negator_before(text: str, start: int, window: int = NEGATION_WINDOW) -> str | None:
    """The negating word within ``window`` words before ``start`` in the same clause, if any."""
    before = text[:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    words = before.split()[-window:]
    for w in reversed(words):
        m = NEGATORS.search(w)
        if m:
            return m.group(0)
    return None


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def first_words(text: str, n: int) -> str:
    return " ".join(words_of(text)[:n])


def is_question(text: str) -> bool:
    t = text.strip()
    return t.endswith("?") or bool(re.search(r"\?\s*\S{0,12}$", t))


def span_times(u: Utterance, start: int, end: int) -> tuple[float | None, float | None, bool]:
    """Times of characters [start, end) of the normalised text: word times when the utterance has them
    (exact=True), otherwise a proportional estimate inside the utterance (exact=False)."""
    text = norm(u.text)
    timed = [w for w in u.words if w.start is not None and w.end is not None]
    if timed:
        exact = _word_span(text, timed, start, end)
        if exact is not None:
            return exact[0], exact[1], True
    if u.start is None or u.end is None or not text:
        return u.start, u.end, False
    length = len(text)
    dur = u.end - u.start
    return round(u.start + dur * start / length, 3), round(u.start + dur * end / length, 3), False


def _word_span(text: str, words, start: int, end: int) -> tuple[float, float] | None:
    """Map a character span to the timed words covering it, by walking word texts through the text."""
    pos, first, last = 0, None, None
    low = text.lower()
    for w in words:
        token = norm(w.text).lower()
        if not token:
            continue
        at = low.find(token, pos)
        if at < 0:
            return None
        w_end = at + len(token)
        if w_end > start and at < end:
            first = first if first is not None else w
            last = w
        pos = w_end
    if first is None or last is None:
        return None
    return float(first.start), float(last.end)


def evidence(utts: Iterable[Utterance], note: str = "") -> Evidence:
    """Evidence spanning these utterances (ids in order, from the first start to the last end)."""
    us = list(utts)
    starts = [u.start for u in us if u.start is not None]
    ends = [u.end for u in us if u.end is not None]
    return Evidence(
        tuple(u.id for u in us), min(starts) if starts else None, max(ends) if ends else None, note
    )


def quote(text: str, limit: int = 120) -> str:
    t = norm(text)
    return t if len(t) <= limit else t[: limit - 1].rstrip() + "…"
