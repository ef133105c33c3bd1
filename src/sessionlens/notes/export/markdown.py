"""Markdown: a header table, each section as a paragraph of clean prose, the signature block,
addenda, and the evidence appendix when asked for. ``render_review`` is the clinician's working view
(`note draft`/`note show` in a terminal): one line per sentence with the moments it cites."""

from __future__ import annotations

from ..model import Note, Sentence
from ..text import clock
from .common import addendum_title, mark, prose, title
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


def cite(s: Sentence) -> str:
    """'[u12, u13 at 03:21]' — ids plus the first time, for checking the note against the session."""
    if not s.evidence:
        return ""
    when = f" at {clock(s.start)}" if s.start is not None else ""
    return f"[{', '.join(s.evidence)}{when}]"


def render_review(note: Note) -> str:
    """The note as the clinician reviews it: each sentence on its own line with its evidence."""
    sig = note.signature
    status = ("DRAFT - not signed. Every sentence cites the transcript moments it rests on." if sig is None else
              f"Signed by {sig.signer} at {sig.signed_at}. SHA-256 {sig.content_sha256}")
    lines = [f"# {title(note)}", "", f"_{status}_", ""]
    for sec in note.sections:
        lines += [f"## {sec.title}", ""]
        lines += [f"- {mark(s)}{s.text}" + (f" {cite(s)}" if cite(s) else "") for s in sec.sentences]
        lines.append("")
    for n, a in enumerate(note.addenda, 1):
        lines += [f"## {addendum_title(n, a.author, a.written_at)}", "", a.text, ""]
    return "\n".join(lines)


def render_bytes(note: Note, opts: ExportOptions | None = None) -> bytes:
    return render(note, opts).encode("utf-8")
