"""Plain text that pastes cleanly into EHR note fields: section names in capitals, prose paragraphs,
no markup, no evidence brackets (the evidence stays in sessionlens), ASCII punctuation."""

from __future__ import annotations

from ..model import Note

_ASCII = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2014": "-", "\u2013": "-",
                        "\u2026": "...", "\u00a0": " "})


def render(note: Note) -> str:
    parts = []
    for sec in note.sections:
        body = " ".join(s.text for s in sec.sentences if s.status != "unsupported")
        parts.append(f"{sec.title.upper()}:\n{body}")
    if note.signature is not None:
        parts.append(f"Signed: {note.signature.signer}, {note.signature.signed_at}")
    for n, a in enumerate(note.addenda, 1):
        parts.append(f"ADDENDUM {n} ({a.author}, {a.written_at}):\n{a.text}")
    return ("\n\n".join(parts) + "\n").translate(_ASCII)


def render_bytes(note: Note) -> bytes:
    return render(note).encode("utf-8")
