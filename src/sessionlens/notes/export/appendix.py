"""The optional evidence appendix: for each sentence of the note, the moments it rests on — time,
speaker and a short quote — so the prose above can stay clean and the reader can still check it."""

from __future__ import annotations

from ...domain import Transcript
from ..model import Note
from ..text import clean, clock
from .header import EvidenceEntry, Quote

QUOTE_WORDS = 18  # "short quotes": enough to recognise the moment, not a transcript
SENTENCE_WORDS = 10  # the appendix names a sentence by its opening words
MAX_QUOTES = 4  # per sentence; the rest are counted, not quoted


def short(text: str, n: int) -> str:
    w = clean(text).split()
    return " ".join(w[:n]) + (" ..." if len(w) > n else "")


def evidence_appendix(note: Note, transcript: Transcript) -> tuple[EvidenceEntry, ...]:
    """Every sentence with evidence, in note order, with up to MAX_QUOTES cited moments each."""
    index = {u.id: u for u in transcript.utterances}
    out = []
    for sec in note.sections:
        for s in sec.sentences:
            utts = [index[i] for i in s.evidence if i in index]
            if not utts:
                continue
            quotes = tuple(Quote(u.id, clock(u.start), u.role.value.capitalize(), short(u.text, QUOTE_WORDS))
                           for u in utts[:MAX_QUOTES])
            more = len(utts) - len(quotes)
            if more > 0:
                quotes += (Quote("", "", "", f"(and {more} more moment{'s' if more > 1 else ''})"),)
            out.append(EvidenceEntry(sec.title, short(s.text, SENTENCE_WORDS), quotes))
    return tuple(out)
