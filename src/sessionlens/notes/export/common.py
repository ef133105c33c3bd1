"""What every export shows: the title, the header, sections as clean prose, signature and addenda."""

from __future__ import annotations

from ..formats import FORMATS
from ..model import Note, Section, Sentence
from .header import readable_utc


def title(note: Note) -> str:
    spec = FORMATS.get(note.format)
    return spec.title if spec else f"{note.format.upper()} progress note"


def mark(s: Sentence) -> str:
    return "(UNSUPPORTED - review) " if s.status == "unsupported" else ""


def prose(sec: Section, keep_unsupported: bool = True) -> str:
    """A section as one paragraph of sentences, with no evidence tags (the appendix carries those)."""
    return " ".join(mark(s) + s.text for s in sec.sentences
                    if s.text.strip() and (keep_unsupported or s.status != "unsupported"))


def addendum_title(n: int, author: str, written_at: str) -> str:
    return f"Addendum {n} ({author}, {readable_utc(written_at)})"
