"""PDF via fpdf2 (pure Python): a header block, sections as prose, the signature block, addenda and
the optional evidence appendix on its own page(s), with a page footer. The built-in fonts cover
Latin-1; other characters are transliterated where possible and replaced otherwise."""

from __future__ import annotations

import unicodedata

from fpdf import FPDF

from ..model import Note
from .common import addendum_title, prose, title
from .header import ExportOptions, header_rows, signature_lines

_MAP = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2014": "-", "\u2013": "-",
                      "\u2026": "...", "\u00a0": " "})
_FONT = "Helvetica"
_LABEL_W = 38  # mm: the header's label column


def latin1(text: str) -> str:
    text = text.translate(_MAP)
    try:
        return text.encode("latin-1").decode("latin-1")
    except UnicodeEncodeError:
        folded = unicodedata.normalize("NFKD", text)
        return "".join(c if ord(c) < 256 else ("" if unicodedata.combining(c) else "?") for c in folded)


class _Doc(FPDF):
    footer_text = ""

    def footer(self) -> None:  # fpdf2 calls this on every page
        self.set_y(-12)
        self.set_font(_FONT, "", 8)
        self.set_text_color(110)
        self.cell(0, 5, latin1(f"{self.footer_text} - page {self.page_no()} of {{nb}}"), align="C")
        self.set_text_color(0)


def _heading(pdf: FPDF, text: str, size: int = 12) -> None:
    pdf.ln(2)
    pdf.set_font(_FONT, "B", size)
    pdf.multi_cell(0, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")


def _para(pdf: FPDF, text: str, style: str = "", size: int = 10) -> None:
    pdf.set_font(_FONT, style, size)
    pdf.multi_cell(0, 5, latin1(text), new_x="LMARGIN", new_y="NEXT")


def _header(pdf: FPDF, rows: list[tuple[str, str]]) -> None:
    pdf.set_draw_color(160)
    top = pdf.get_y()
    for label, value in rows:
        pdf.set_font(_FONT, "B", 9)
        pdf.cell(_LABEL_W, 5.5, latin1(label))
        pdf.set_font(_FONT, "", 9)
        pdf.multi_cell(0, 5.5, latin1(value), new_x="LMARGIN", new_y="NEXT")
    pdf.line(pdf.l_margin, top - 1, pdf.w - pdf.r_margin, top - 1)
    pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
    pdf.ln(3)


def _signature(pdf: FPDF, note: Note) -> None:
    pdf.ln(4)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + 90, pdf.get_y())
    pdf.ln(1)
    for i, line in enumerate(signature_lines(note)):
        _para(pdf, line, "B" if i == 0 else "", 9 if i == 0 else 8)


def _appendix(pdf: FPDF, opts: ExportOptions) -> None:
    pdf.add_page()
    _heading(pdf, "Appendix: evidence", 13)
    _para(pdf, "The transcript moments each sentence rests on. Times are from the start of the session recording.",
          "I", 8)
    current = ""
    for e in opts.appendix:
        needed = (9 if e.section != current else 0) + 5 + 4.5 * len(e.quotes) * 1.5  # lines may wrap
        if pdf.get_y() + needed > pdf.page_break_trigger:  # keep a sentence with its moments
            pdf.add_page()
        if e.section != current:
            _heading(pdf, e.section, 11)
            current = e.section
        _para(pdf, f'"{e.sentence}"', "B", 9)
        for q in e.quotes:
            pdf.set_x(pdf.l_margin + 6)
            pdf.set_font(_FONT, "", 8.5)
            shown = f'{q.clock}  {q.role}: "{q.text}"' if q.uid else q.text
            pdf.multi_cell(0, 4.5, latin1(shown), new_x="LMARGIN", new_y="NEXT")


def render(note: Note, opts: ExportOptions | None = None) -> bytes:
    opts = opts or ExportOptions()
    pdf = _Doc(format="A4")
    pdf.footer_text = f"{title(note)} - {opts.header.client} - {opts.header.date_of_service}"
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_title(latin1(title(note)))
    pdf.add_page()
    pdf.set_font(_FONT, "B", 16)
    pdf.multi_cell(0, 9, latin1(title(note)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    _header(pdf, header_rows(note, opts.header))
    for sec in note.sections:
        _heading(pdf, sec.title)
        _para(pdf, prose(sec) or "-")
    _signature(pdf, note)
    for n, a in enumerate(note.addenda, 1):
        _heading(pdf, addendum_title(n, a.author, a.written_at), 11)
        _para(pdf, a.text)
    if opts.appendix:
        _appendix(pdf, opts)
    return bytes(pdf.output())
