"""What every export shows: the title, the header, sections as clean prose, signature and addenda."""

from __future__ import annotations

from ..formats import FORMATS
from ..model import Note, Section, Sentence
from ..text import clock
from .header import readable_utc


def title(note: Note) -> str:
    spec = FORMATS.get(note.format)
    return spec.title if spec else f"{note.format.upper()} progress note"


def status_line(note: Note) -> str:
    if note.signature is None:
        return "DRAFT - not signed. Every sentence cites the transcript moments it rests on."
    s = note.signature
    return f"Signed by {s.signer} at {s.signed_at}. SHA-256 {s.content_sha256}"


def cite(s: Sentence) -> str:
    """'[u12, u13 at 03:21]' — ids plus the first time, for checking the note against the session."""
    if not s.evidence:
        return ""
    when = f" at {clock(s.start)}" if s.start is not None else ""
    return f"[{', '.join(s.evidence)}{when}]"


def mark(s: Sentence) -> str:
    return "(UNSUPPORTED - review) " if s.status == "unsupported" else ""


def prose(sec: Section, keep_unsupported: bool = True) -> str:
    """A section as one paragraph of sentences, with no evidence tags (the appendix carries those)."""
    return " ".join(mark(s) + s.text for s in sec.sentences
                    if s.text.strip() and (keep_unsupported or s.status != "unsupported"))


def addendum_title(n: int, author: str, written_at: str) -> str:
    return f"Addendum {n} ({author}, {readable_utc(written_at)})"
