"""The packet as a PDF (fpdf2, built-in fonts: Latin-1, other characters transliterated)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fpdf import FPDF

from ..notes.export.pdf import latin1


def _para(pdf: FPDF, text: str, size: int = 10, style: str = "") -> None:
    pdf.set_font("Helvetica", style, size)
    pdf.multi_cell(0, 5 if size <= 10 else 7, latin1(text), new_x="LMARGIN", new_y="NEXT")


def render_pdf(packet: Mapping[str, Any]) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(latin1(packet["title"]))
    pdf.add_page()
    _para(pdf, packet["title"], 15, "B")
    pdf.set_fill_color(255, 244, 214)
    pdf.set_font("Helvetica", "B", 9)
    pdf.multi_cell(0, 5, latin1(packet["notice"]), border=1, fill=True, new_x="LMARGIN", new_y="NEXT")
    _para(pdf, packet.get("about", ""), 8, "I")
    if packet["questions"]:
        pdf.ln(2)
        _para(pdf, "Questions for supervision", 12, "B")
        for n, q in enumerate(packet["questions"], 1):
            _para(pdf, f"{n}. {q}")
    for s in packet["sessions"]:
        pdf.ln(3)
        _para(pdf, f"{s['label']} ({s['scope']})", 12, "B")
        _para(pdf, "; ".join(f"{k}: {v}" for k, v in s["measures"].items() if v is not None), 9)
        for m in s["markers"]:
            _para(pdf, f"- {m}", 9)
        pdf.ln(1)
        for r in s["lines"]:
            code = f"  [{r['code']}]" if r["code"] else ""
            _para(pdf, f"{r['time']}  {r['who']}: {r['text']}{code}", 9)
    if packet["symptom_measures"]:
        pdf.ln(3)
        _para(pdf, "Symptom measures (weeks since the first)", 12, "B")
        for m in packet["symptom_measures"]:
            _para(pdf, f"{m['instrument']}, week {m['week']}: {m['total']} ({m['band']})")
    return bytes(pdf.output())
