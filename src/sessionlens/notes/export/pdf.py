"""PDF via fpdf2 (pure Python). The built-in fonts cover Latin-1; other characters are transliterated
where possible and replaced otherwise (a bundled Unicode font would lift this)."""

from __future__ import annotations

import unicodedata

from fpdf import FPDF

from ..model import Note
from .common import cite, mark, status_line, title

_MAP = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2014": "-", "\u2013": "-",
                      "\u2026": "...", "\u00a0": " "})


def latin1(text: str) -> str:
    text = text.translate(_MAP)
    try:
        return text.encode("latin-1").decode("latin-1")
    except UnicodeEncodeError:
        folded = unicodedata.normalize("NFKD", text)
        return "".join(c if ord(c) < 256 else ("" if unicodedata.combining(c) else "?") for c in folded)


def render(note: Note) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(latin1(title(note)))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(0, 8, latin1(title(note)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "I", 8)
    pdf.multi_cell(0, 5, latin1(status_line(note)), new_x="LMARGIN", new_y="NEXT")
    for sec in note.sections:
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(0, 7, latin1(sec.title), new_x="LMARGIN", new_y="NEXT")
        for s in sec.sentences:
            pdf.set_font("Helvetica", "", 10)
            ref = f" {cite(s)}" if cite(s) else ""
            pdf.multi_cell(0, 5, latin1(f"- {mark(s)}{s.text}{ref}"), new_x="LMARGIN", new_y="NEXT")
    for n, a in enumerate(note.addenda, 1):
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(0, 7, latin1(f"Addendum {n} ({a.author}, {a.written_at})"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 5, latin1(a.text), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
