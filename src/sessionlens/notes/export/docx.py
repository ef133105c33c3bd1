"""DOCX via python-docx: a heading per section, a paragraph per sentence, evidence in grey."""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Pt, RGBColor

from ..model import Note
from .common import cite, mark, status_line, title


def render(note: Note) -> bytes:
    doc = Document()
    doc.add_heading(title(note), level=1)
    doc.add_paragraph(status_line(note)).runs[0].italic = True
    for sec in note.sections:
        doc.add_heading(sec.title, level=2)
        for s in sec.sentences:
            p = doc.add_paragraph(style="List Bullet")
            p.add_run(mark(s) + s.text)
            if cite(s):
                ref = p.add_run(" " + cite(s))
                ref.font.size = Pt(8)
                ref.font.color.rgb = RGBColor(0x66, 0x66, 0x66)
    for n, a in enumerate(note.addenda, 1):
        doc.add_heading(f"Addendum {n} ({a.author}, {a.written_at})", level=2)
        doc.add_paragraph(a.text)
    buf = io.BytesIO()  # in memory: no plaintext temp file
    doc.save(buf)
    return buf.getvalue()
