"""Clinical length: from the writer's exhaustive draft, keep what matters within a word budget.

``--detail full`` keeps everything; ``concise`` (the default) keeps, by salience, risk first, then the
first sentence of every section, then the plan, then the rest (breadth first), until the budget for the
session's length is spent (250 words at 15 minutes or less, rising to 400 at 50 minutes and more).
It drops what belongs in the session data rather than a note (transcript span, behaviour counts,
model indications), allows one quote per section (later quotes are cut back to their paraphrase, and
the grounding check re-checks what is left), and never quotes the same words twice in one note
(in either detail).
"""

from __future__ import annotations

import re
from dataclasses import replace

from .model import ABSENCE, Note, Section, Sentence

DETAILS = ("concise", "full")
SHORT_WORDS, LONG_WORDS = 250, 400  # budgets at <= 15 and >= 50 minutes
SHORT_MIN, LONG_MIN = 15.0, 50.0
# Sentences that report counts or model output: session data, not note content (kept in full detail).
DATA_ONLY = re.compile(r"^(?:Session transcript runs from|Coded therapist behaviours|Emotion model indications|"
                       r"Client's statements included talk in favour|Mental-status domains not listed)")
_QUOTE = re.compile(r'"([^"]{3,})"')
_TAIL = re.compile(r'[:;,]?\s*(?:\(\s*)?"[^"]*"\s*\)?')
SALIENCE = {"risk": 0}  # all of risk first; then each section's lead; then the plan; then the rest


def word_budget(minutes: float | None) -> int:
    """Words allowed for a session of ``minutes`` (unknown length: the short budget)."""
    if not minutes:
        return SHORT_WORDS
    m = min(max(minutes, SHORT_MIN), LONG_MIN)
    return round(SHORT_WORDS + (m - SHORT_MIN) * (LONG_WORDS - SHORT_WORDS) / (LONG_MIN - SHORT_MIN))


def n_words(text: str) -> int:
    return len(text.split())


def quotes_of(text: str) -> list[str]:
    return [q.strip().lower() for q in _QUOTE.findall(text)]


def _repeats(text: str, seen: list[str]) -> bool:
    """True when a quote in ``text`` repeats one already used: the same words, or one containing the
    other's first words (a quote of four words or more; "Tired." inside a longer reply is no repeat)."""
    for q in quotes_of(text):
        for s in seen:
            short, long_ = sorted((q, s), key=len)
            if short == long_ or (len(short.split()) >= 4 and short[:40] in long_):
                return True
    return False


def dedupe_quotes(note: Note) -> Note:
    """Drop a sentence whose quote repeats one used elsewhere in the note: never the same words twice.
    Risk is read first, so a quote it needs is kept there and dropped from the other sections."""
    seen: list[str] = []
    order = sorted(range(len(note.sections)), key=lambda k: note.sections[k].key != "risk")
    kept: dict[int, tuple[Sentence, ...]] = {}
    for k in order:
        out = []
        for s in note.sections[k].sentences:
            if _repeats(s.text, seen):
                continue
            seen += quotes_of(s.text)
            out.append(s)
        kept[k] = tuple(out)
    return replace(note, sections=tuple(replace(sec, sentences=kept[k]) for k, sec in enumerate(note.sections)))


_DANGLING = re.compile(r"(?:said|specified|answered|replied|reflected|proposal|words|about|that|to)\.$", re.IGNORECASE)


def _first_quote_only(text: str) -> str:
    """'Mood, in the client's words: "Tired."; "Foggy."' -> 'Mood, in the client's words: "Tired."'."""
    first = _QUOTE.search(text)
    if first is None or not re.match(r'\s*(?:;|and)\s*"', text[first.end():]):
        return text
    return text[:first.end()].rstrip(" ;,") + ("" if text[first.end() - 2] in ".!?" else ".")


def _unquoted(text: str) -> str | None:
    """The sentence without its quote, or None when what is left does not stand on its own."""
    bare = _TAIL.sub("", text).rstrip(" .:;,") + "."
    if '"' in bare or n_words(bare) < 5 or _DANGLING.search(bare):
        return None
    return bare


def _one_quote(sec: Section) -> Section:
    """One quote per section: the first quoted sentence keeps its first quote; later ones are paraphrase
    only or go. Risk keeps the client's words (where they matter most), one quote per sentence."""
    out: list[Sentence] = []
    quoted = False
    for s in sec.sentences:
        text: str | None = _first_quote_only(s.text)
        if '"' in s.text and quoted and sec.key != "risk":
            text = _unquoted(s.text)
        if text is None or any(text == o.text for o in out):
            continue
        quoted = quoted or '"' in text
        out.append(replace(s, text=text))
    return replace(sec, sentences=tuple(out))


def _candidates(note: Note) -> list[tuple[tuple[int, int, int], int, Sentence]]:
    """(rank, section index, sentence): risk, then each section's lead, then the plan, then the rest
    (second sentences of every section before third ones)."""
    out = []
    for k, sec in enumerate(note.sections):
        real = [s for s in sec.sentences if not DATA_ONLY.match(s.text)] or list(sec.sentences[:1])
        if any(s.basis != ABSENCE for s in real):
            real = [s for s in real if s.basis != ABSENCE]
        for j, s in enumerate(real):
            tier = SALIENCE.get(sec.key, 1 if j == 0 else 2 if sec.key == "plan" else 3)
            out.append(((tier, j, k), k, s))
    return out


def condense(note: Note, minutes: float | None) -> Note:
    """The concise note: at most ``word_budget(minutes)`` words, chosen by salience, one quote per section."""
    note = dedupe_quotes(note)
    note = replace(note, sections=tuple(_one_quote(s) for s in note.sections))
    budget = word_budget(minutes)
    used, keep = 0, set()
    for _, k, s in sorted(_candidates(note), key=lambda c: c[0]):
        cost = n_words(s.text)
        if used + cost > budget and k in {kk for kk, _ in keep}:
            continue  # every section keeps at least its most salient sentence
        used += cost
        keep.add((k, id(s)))
    sections = tuple(replace(sec, sentences=tuple(s for s in sec.sentences if (k, id(s)) in keep))
                     for k, sec in enumerate(note.sections))
    return replace(note, sections=sections)
