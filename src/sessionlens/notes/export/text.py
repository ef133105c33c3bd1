"""Plain text that pastes cleanly into EHR note fields: a header, section names in capitals, prose
paragraphs, no markup, no evidence tags (the optional appendix lists the moments), ASCII punctuation."""

from __future__ import annotations

from ..model import Note
from .common import addendum_title, prose, title
from .header import ExportOptions, header_rows, signature_lines

_ASCII = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2014": "-", "\u2013": "-",
                        "\u2026": "...", "\u00a0": " "})


def render(note: Note, opts: ExportOptions | None = None) -> str:
    opts = opts or ExportOptions()
    parts = [title(note).upper() + "\n" + "\n".join(f"{label}: {value}" for label, value in header_rows(note, opts.header))]
    for sec in note.sections:
        parts.append(f"{sec.title.upper()}:\n{prose(sec, keep_unsupported=False)}")
    parts.append("SIGNATURE:\n" + "\n".join(signature_lines(note)))
    for n, a in enumerate(note.addenda, 1):
        parts.append(f"{addendum_title(n, a.author, a.written_at).upper()}:\n{a.text}")
    if opts.appendix:
        rows = ["EVIDENCE APPENDIX (times from the start of the session recording):"]
        for e in opts.appendix:
            rows.append(f'{e.section} - "{e.sentence}"')
            rows += [f'  {q.clock} {q.role}: "{q.text}"' if q.uid else f"  {q.text}" for q in e.quotes]
        parts.append("\n".join(rows))
    return ("\n\n".join(parts) + "\n").translate(_ASCII)


def render_bytes(note: Note, opts: ExportOptions | None = None) -> bytes:
    return render(note, opts).encode("utf-8")
