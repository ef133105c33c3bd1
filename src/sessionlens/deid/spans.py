"""Finding identifier spans in a piece of text: the model, patterns, word lists and known names,
merged into non-overlapping spans, each with a type and the recognizer that found it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .lexicon import AMBIGUOUS, GIVEN_NAMES, NOT_IDENTIFIERS, PLACES

# Public type names (used in placeholders and reports) for presidio's entity names.
TYPES = {"PERSON": "Name", "LOCATION": "Place", "ORGANIZATION": "Organisation", "DATE_TIME": "Date",
         "AGE": "Age", "PHONE_NUMBER": "Phone", "EMAIL_ADDRESS": "Email", "STREET_ADDRESS": "Address",
         "URL": "URL"}
# When spans overlap, the more specific kind wins.
PRIORITY = {"EMAIL_ADDRESS": 9, "URL": 8, "PHONE_NUMBER": 7, "STREET_ADDRESS": 6, "AGE": 5, "DATE_TIME": 4,
            "PERSON": 3, "LOCATION": 2, "ORGANIZATION": 1}
MODEL_ENTITIES = ["PERSON", "LOCATION", "ORGANIZATION", "DATE_TIME", "PHONE_NUMBER", "EMAIL_ADDRESS", "URL"]
_MONTHS = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
                     r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b")
_CALENDAR = re.compile(r"\d{1,4}[/.-]\d{1,2}|\b(?:19|20)\d\d\b|\b\d{1,2}(?:st|nd|rd|th)\b")
_CAPWORD = re.compile(r"\b[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?\b")
_PLACE_RX = re.compile(r"\b(?:" + "|".join(sorted((re.escape(p) for p in PLACES), key=len, reverse=True)) + r")\b")
_CONTEXT_BEFORE = re.compile(r"(?i)(?:my|our|her|his|their|your)\s+\w+\s*$|(?:dr|mr|mrs|ms|miss)\.?\s*$")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    entity: str  # presidio entity name (PERSON, LOCATION, ...)
    score: float
    source: str

    @property
    def kind(self) -> str:
        return TYPES[self.entity]


def model_spans_many(texts: Sequence[str]) -> list[list[Span]]:
    """The model's spans for many texts at once (spaCy batches them: about twice as fast)."""
    from presidio_analyzer import BatchAnalyzerEngine

    from .engine import analyzer

    batch = BatchAnalyzerEngine(analyzer()).analyze_iterator(list(texts), language="en", entities=MODEL_ENTITIES,
                                                             score_threshold=0.3, batch_size=64)
    return [[_trimmed(text, Span(r.start, r.end, r.entity_type, r.score, "model")) for r in results]
            for text, results in zip(texts, batch, strict=True)]


_LEAD = frozenset({"tell", "telling", "told", "ask", "asked", "asking", "call", "called", "calling", "text",
                   "texted", "dear", "oh", "met", "saw", "see", "with", "and", "but", "like", "thanks", "hi",
                   "hey", "yeah", "okay", "so", "because", "when", "if", "then", "even", "maybe", "sorry"})


def _trimmed(text: str, s: Span) -> Span:
    """Drop a leading verb or filler the model swept into a name ("Telling Kevin" -> "Kevin")."""
    if s.entity not in ("PERSON", "LOCATION", "ORGANIZATION"):
        return s
    start, end = s.start, s.end
    if text[start:end].endswith(("'s", "\u2019s")):  # keep the possessive: "[Client]'s"
        end -= 2
    while True:
        m = re.match(r"(\S+)\s+", text[start:end])
        if not m or m.group(1).lower().strip(",.") not in _LEAD:
            return Span(start, end, s.entity, s.score, s.source)
        start += m.end()


def _keep(text: str, s: Span) -> bool:
    piece = text[s.start:s.end].strip()
    if not piece or piece.lower().strip(".,!?'") in NOT_IDENTIFIERS:
        return False
    if s.entity == "DATE_TIME":  # a date, not a duration or "last week"
        return bool(_MONTHS.search(piece) or _CALENDAR.search(piece))
    if s.entity in ("PERSON", "LOCATION", "ORGANIZATION") and s.source == "model":
        return any(c.isupper() for c in piece)  # speech transcripts capitalise names; "work" is not an org
    return True


def lexicon_spans(text: str) -> list[Span]:
    spans = [Span(m.start(), m.end(), "LOCATION", 0.7, "places") for m in _PLACE_RX.finditer(text)]
    for m in _CAPWORD.finditer(text):
        word = m.group()
        before = text[:m.start()]
        if (word in GIVEN_NAMES or word in AMBIGUOUS) and (word not in AMBIGUOUS or _CONTEXT_BEFORE.search(before)
                                    or not _sentence_start(before)):
            spans.append(Span(m.start(), m.end(), "PERSON", 0.6, "names"))
    return spans


def _sentence_start(before: str) -> bool:
    """Whether a word after ``before`` opens a sentence (where a capital says nothing about names)."""
    tail = before.rstrip()
    return not tail or tail[-1] in '.!?:;"' or tail.endswith(("--", "\u2014"))


def known_spans(text: str, names: Iterable[str]) -> list[Span]:
    """Names known to belong to people here (speakers, the client): matched in any case."""
    parts = sorted({p for n in names for p in name_parts(n)}, key=len, reverse=True)
    if not parts:
        return []
    rx = re.compile(r"(?i)\b(?:" + "|".join(re.escape(p) for p in parts) + r")\b")
    return [Span(m.start(), m.end(), "PERSON", 0.95, "known") for m in rx.finditer(text)]


def name_parts(name: str) -> list[str]:
    """The full name and each word of it long enough not to be a common word by accident."""
    words = [w for w in re.split(r"\s+", name.strip()) if w]
    return ([name.strip()] if name.strip() else []) + [w for w in words if len(w) >= 3 and w.isalpha()]


def merge(spans: Sequence[Span]) -> list[Span]:
    """Overlapping spans become one covering both; its kind is the most specific among them."""
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        if out and s.start < out[-1].end:
            last = out[-1]
            best = max((last, s), key=lambda x: (PRIORITY[x.entity], x.score, x.end - x.start))
            out[-1] = Span(last.start, max(last.end, s.end), best.entity, max(last.score, s.score), best.source)
        else:
            out.append(s)
    return out


def find_spans_many(texts: Sequence[str], known_names: Iterable[str] = ()) -> list[list[Span]]:
    from .patterns import pattern_spans

    known = list(known_names)
    out = []
    for text, model in zip(texts, model_spans_many(texts), strict=True):
        found = [*model, *pattern_spans(text), *lexicon_spans(text), *known_spans(text, known)]
        out.append(merge([s for s in found if _keep(text, s)]))
    return out


def find_spans(text: str, known_names: Iterable[str] = ()) -> list[Span]:
    return find_spans_many([text], known_names)[0]
