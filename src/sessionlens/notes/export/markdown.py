"""Markdown: headings per section, one bullet per sentence with its evidence."""

from __future__ import annotations

from ..model import Note
from .common import cite, mark, status_line, title


def render(note: Note, evidence: bool = True) -> str:
    lines = [f"# {title(note)}", "", f"_{status_line(note)}_", ""]
    for sec in note.sections:
        lines += [f"## {sec.title}", ""]
        for s in sec.sentences:
            ref = f" {cite(s)}" if evidence and cite(s) else ""
            lines.append(f"- {mark(s)}{s.text}{ref}")
        lines.append("")
    for n, a in enumerate(note.addenda, 1):
        lines += [f"## Addendum {n} ({a.author}, {a.written_at})", "", a.text, ""]
    return "\n".join(lines)


def render_bytes(note: Note) -> bytes:
    return render(note).encode("utf-8")
