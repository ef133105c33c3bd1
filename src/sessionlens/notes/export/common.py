"""What every export shows: the title, status line, sections, signature and addenda."""

from __future__ import annotations

from ..formats import FORMATS
from ..model import Note, Sentence
from ..text import clock


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
