"""Markdown: a header table, each section as a paragraph of clean prose, the signature block,
addenda, and the evidence appendix when asked for."""

from __future__ import annotations

from ..model import Note
from .common import addendum_title, prose, title
from .header import ExportOptions, header_rows, signature_lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(note: Note, opts: ExportOptions | None = None) -> str:
    opts = opts or ExportOptions()
    lines = [f"# {title(note)}", "", "| | |", "|---|---|"]
    lines += [f"| **{label}** | {_cell(value)} |" for label, value in header_rows(note, opts.header)]
    lines.append("")
    for sec in note.sections:
        lines += [f"## {sec.title}", "", prose(sec) or "-", ""]
    lines += ["---", "", *(f"{line}  " for line in signature_lines(note)), ""]
    for n, a in enumerate(note.addenda, 1):
        lines += [f"## {addendum_title(n, a.author, a.written_at)}", "", a.text, ""]
    if opts.appendix:
        lines += ["## Appendix: evidence", "", "_Times are from the start of the session recording._", ""]
        for e in opts.appendix:
            lines.append(f"- **{e.section}** - \"{e.sentence}\"")
            lines += [f"  - {q.clock} {q.role}: \"{q.text}\"" if q.uid else f"  - {q.text}" for q in e.quotes]
        lines.append("")
    return "\n".join(lines)


def render_bytes(note: Note, opts: ExportOptions | None = None) -> bytes:
    return render(note, opts).encode("utf-8")
