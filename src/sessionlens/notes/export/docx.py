"""DOCX via python-docx: a header table, a heading and a prose paragraph per section, the signature
block, addenda and the optional evidence appendix (on a new page)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Pt, RGBColor

from ..model import Note
from .common import addendum_title, prose, title
from .header import ExportOptions, header_rows, signature_lines

_GREY = RGBColor(0x55, 0x55, 0x55)


def _header(doc, rows: list[tuple[str, str]]) -> None:
    table = doc.add_table(rows=len(rows), cols=2)
    for row, (label, value) in zip(table.rows, rows):
        row.cells[0].paragraphs[0].add_run(label).bold = True
        row.cells[1].paragraphs[0].add_run(value)


def _appendix(doc, opts: ExportOptions) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading("Appendix: evidence", level=2)
    doc.add_paragraph("Times are from the start of the session recording.").runs[0].italic = True
    for e in opts.appendix:
        p = doc.add_paragraph()
        p.add_run(f"{e.section}: ").bold = True
        p.add_run(f'"{e.sentence}"')
        for q in e.quotes:
            run = doc.add_paragraph(style="List Bullet").add_run(
                f'{q.clock} {q.role}: "{q.text}"' if q.uid else q.text)
            run.font.size, run.font.color.rgb = Pt(9), _GREY


def render(note: Note, opts: ExportOptions | None = None) -> bytes:
    opts = opts or ExportOptions()
    doc = Document()
    doc.add_heading(title(note), level=1)
    _header(doc, header_rows(note, opts.header))
    for sec in note.sections:
        doc.add_heading(sec.title, level=2)
        doc.add_paragraph(prose(sec) or "-")
    sig = doc.add_paragraph()
    for i, line in enumerate(signature_lines(note)):
        run = sig.add_run(line)
        run.bold = i == 0
        if i < len(signature_lines(note)) - 1:
            run.add_break()
    for n, a in enumerate(note.addenda, 1):
        doc.add_heading(addendum_title(n, a.author, a.written_at), level=2)
        doc.add_paragraph(a.text)
    if opts.appendix:
        _appendix(doc, opts)
    buf = io.BytesIO()  # in memory: no plaintext temp file
    doc.save(buf)
    return buf.getvalue()
