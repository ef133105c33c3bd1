"""Clinical length: from the writer's exhaustive draft, keep what matters within a word budget.

``--detail full`` keeps everything; ``concise`` (the default) keeps, by salience, risk first, then the
plans (homework, next appointment, referrals, safety steps) and the chosen modality's section, then the
first sentence of every section, then goals, then the rest (breadth first), never past the budget for
the session's length (250 words at 15 minutes or less, rising to 400 at 50 minutes and more); a
section with no room left says so in one short sentence. It drops what belongs in the session data
rather than a note (transcript span, model indications), allows one quote per section (later quotes
are cut back to their paraphrase, and the grounding check re-checks what is left), and never quotes
the same words or the same utterance twice in one note (in either detail).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Set
from dataclasses import replace

from .model import ABSENCE, Note, Section, Sentence

DETAILS = ("concise", "full")
SHORT_WORDS, LONG_WORDS = 250, 400  # budgets at <= 15 and >= 50 minutes
SHORT_MIN, LONG_MIN = 15.0, 50.0
# Sentences that report counts or model output: session data, not note content (kept in full detail).
DATA_ONLY = re.compile(r"^(?:Session transcript runs from|Emotion model indications|Mental-status domains not listed)")
_QUOTE = re.compile(r'"([^"]{3,})"')
_TAIL = re.compile(r'[:;,]?\s*(?:\(\s*)?"[^"]*"\s*\)?')


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


def _quoted_ids(s: Sentence, texts: Mapping[str, str]) -> set[str]:
    """The cited utterances whose words a sentence quotes."""
    qs = [q[:30] for q in quotes_of(s.text)]
    return {i for i in s.evidence if any(q in " ".join(texts.get(i, "").lower().split()) for q in qs)}


def dedupe_quotes(note: Note, texts: Mapping[str, str] | None = None) -> Note:
    """Never the same words or the same utterance quoted twice: a sentence whose quote repeats one used
    elsewhere, or quotes an utterance already quoted (``texts``: utterance id -> text), is cut back to its
    paraphrase (or dropped when that does not stand on its own). Risk is read first, so a quote it needs
    is kept there."""
    texts = texts or {}
    seen: list[str] = []
    quoted: set[str] = set()
    order = sorted(range(len(note.sections)), key=lambda k: note.sections[k].key != "risk")
    kept: dict[int, tuple[Sentence, ...]] = {}
    for k in order:
        out = []
        for s in note.sections[k].sentences:
            if quotes_of(s.text) and (_repeats(s.text, seen) or quoted & _quoted_ids(s, texts)):
                first = replace(s, text=_first_quote_only(s.text))
                if first.text != s.text and not (_repeats(first.text, seen) or quoted & _quoted_ids(first, texts)):
                    s = first
                else:
                    bare = _unquoted(s.text)
                    if bare is None:
                        continue
                    s = replace(s, text=bare)
            seen += quotes_of(s.text)
            quoted |= _quoted_ids(s, texts)
            out.append(s)
        kept[k] = tuple(out)
    return replace(note, sections=tuple(replace(sec, sentences=kept[k]) for k, sec in enumerate(note.sections)))


_DANGLING = re.compile(r"\b(?:said|specified|answered|replied|reflected|proposal|words|about|that|to|and|or|the)\.$",
                       re.IGNORECASE)


def _first_quote_only(text: str) -> str:
    """'Mood, in the client's words: "Tired."; "Foggy."' -> 'Mood, in the client's words: "Tired."'."""
    first = _QUOTE.search(text)
    if first is None or not re.match(r'\s*(?:;|and)\s*"', text[first.end():]):
        return text
    return text[:first.end()].rstrip(" ;,") + ("" if text[first.end() - 2] in ".!?" else ".")


def _unquoted(text: str) -> str | None:
    """The sentence without its quote, or None when what is left does not stand on its own."""
    bare = " ".join(_TAIL.sub(" ", text).split()).rstrip(" .:;,") + "."
    if '"' in bare or n_words(bare) < 5 or _DANGLING.search(bare):
        return None
    return bare


def _one_quote(sec: Section) -> Section:
    """At most one quote per section: the first quoted sentence keeps its first quote; later ones are
    paraphrase only, or go when what is left does not stand on its own."""
    out: list[Sentence] = []
    quoted = False
    for s in sec.sentences:
        text: str | None = _first_quote_only(s.text)
        if text is not None and '"' in text and quoted:
            text = _unquoted(text)
        if text is None or any(text == o.text for o in out):
            continue
        quoted = quoted or '"' in text
        out.append(replace(s, text=text))
    return replace(sec, sentences=tuple(out))


def _rank(sec: Section, j: int, s: Sentence, plans: set[str], goals: set[str]) -> int:
    """Risk first, then plans (wherever the format files them), then each section's lead, then goals,
    then the rest."""
    if sec.key == "risk":
        return 0
    ev = set(s.evidence)
    if plans & ev or (sec.key in ("plan", *MODALITY_SECTIONS) and s.basis != ABSENCE and not goals & ev):
        return 1
    return 2 if j == 0 else 3 if goals & set(s.evidence) else 4


def _candidates(note: Note, plans: set[str], goals: set[str]) -> list[tuple[tuple[int, int, int], int, Sentence]]:
    """(rank, section index, sentence), second sentences of every section before third ones."""
    out = []
    for k, sec in enumerate(note.sections):
        real = [s for s in sec.sentences if not DATA_ONLY.match(s.text)] or list(sec.sentences[:1])
        if any(s.basis != ABSENCE for s in real):
            real = [s for s in real if s.basis != ABSENCE]
        for j, s in enumerate(real):
            rank = _rank(sec, j, s, plans, goals)
            # plans: the shorter first, so as many as possible fit; elsewhere breadth first
            out.append(((rank, n_words(s.text) if rank == 1 else j, k), k, s))
    return out


MODALITY_SECTIONS = ("cbt", "mi", "partners")  # the clinician chose this approach: its section comes early
OMITTED = "Not summarised in the concise note (see the full draft)."


def condense(note: Note, minutes: float | None, plans: Set[str] = frozenset(), goals: Set[str] = frozenset(),
             texts: Mapping[str, str] | None = None) -> Note:
    """The concise note: at most ``word_budget(minutes)`` words, chosen by salience (``plans``, ``goals``:
    the utterance ids of the session's plan and goal findings), one quote per section, no utterance
    quoted twice."""
    note = dedupe_quotes(note, texts)
    note = replace(note, sections=tuple(_one_quote(s) for s in note.sections))
    budget = word_budget(minutes)
    cands = sorted(_candidates(note, set(plans), set(goals)), key=lambda c: c[0])
    used = 0
    keep: set[tuple[int, int]] = set()
    covered: set[int] = set()
    placeholder = n_words(OMITTED)
    for _, k, s in cands:
        uncovered = len(note.sections) - len(covered | {k})  # each still empty section costs a placeholder
        if used + n_words(s.text) + placeholder * uncovered > budget:
            continue
        used += n_words(s.text)
        keep.add((k, id(s)))
        covered.add(k)
    sections = []
    for k, sec in enumerate(note.sections):
        chosen = tuple(s for s in sec.sentences if (k, id(s)) in keep)
        sections.append(replace(sec, sentences=chosen or (Sentence(OMITTED, basis=ABSENCE, check="concise_scope"),)))
    return replace(note, sections=tuple(sections))
