"""Exports a clinician files: Markdown, EHR plain text, PDF, DOCX and FHIR R4 — each with a header,
the note as clean prose (no evidence tags), the signature block with the content hash, addenda, and
the evidence appendix only when asked for. The PDF's pages are rendered to images and checked."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import shutil
import subprocess
import zlib

import pytest

from sessionlens.errors import InputError
from sessionlens.notes import draft_note
from sessionlens.notes import workflow as wf
from sessionlens.notes.export import EXPORTERS, ExportHeader, ExportOptions, export_note
from sessionlens.notes.export.appendix import evidence_appendix
from sessionlens.notes.export.header import NOT_RECORDED, duration_text, parse_date, parse_start, session_times
from sessionlens.notes.text import clock as text_clock

from .helpers import demo

TAG = re.compile(r"\[u\d+")  # an inline evidence tag such as "[u6, u37 at 00:20]"
HEADER = ExportHeader(client="c-3f9a1b", date_of_service="2026-11-27", start_time="14:00 UTC", duration="16 min",
                      clinician="Helen Carter, LCSW")


@pytest.fixture(scope="module")
def signed():
    n = wf.sign(draft_note(demo(), "soap"), "helen", "2026-11-27T20:00:00.000000Z")
    return wf.add_addendum(n, "helen", "2026-11-28T09:00:00.000000Z", "Client phoned to confirm Wednesday.")


@pytest.fixture(scope="module")
def with_appendix(signed):
    return ExportOptions(HEADER, evidence_appendix(signed, demo().transcript))


def _first_words(note, n=6):
    return [" ".join(s.text.split()[:n]) for s in note.sentences()]


def _header_values():
    return ["c-3f9a1b", "2026-11-27", "14:00 UTC", "16 min", "Helen Carter, LCSW", "SOAP"]


def test_markdown_has_header_clean_prose_and_signature(signed):
    md = export_note(signed, "markdown", ExportOptions(HEADER)).decode()
    assert md.startswith("# SOAP progress note")
    for label in ("Client", "Date of service", "Start time", "Duration", "Clinician", "Note format", "Status"):
        assert f"| **{label}** |" in md
    for value in _header_values():
        assert value in md
    assert "Signed, 1 addendum" in md and "## Relational process" in md
    assert not TAG.search(md), "inline evidence tags leaked into the filed note"
    assert f"Content SHA-256: {signed.signature.content_sha256}" in md
    assert "Electronically signed by helen on 2026-11-27 20:00 UTC" in md
    assert "Appendix" not in md  # only when asked for
    for w in _first_words(signed):
        assert w in md


def test_text_pastes_cleanly(signed):
    txt = export_note(signed, "text", ExportOptions(HEADER)).decode()
    assert txt.startswith("SOAP PROGRESS NOTE\nClient: c-3f9a1b\nDate of service: 2026-11-27\n")
    assert "RELATIONAL PROCESS:" in txt and "#" not in txt and "|" not in txt and txt.isascii()
    assert not TAG.search(txt)
    assert f"Content SHA-256: {signed.signature.content_sha256}" in txt and "ADDENDUM 1" in txt
    for w in _first_words(signed):
        assert w.replace("\u2019", "'") in txt


def test_appendix_lists_times_and_short_quotes(signed, with_appendix):
    md = export_note(signed, "markdown", with_appendix).decode()
    body, appendix = md.split("## Appendix: evidence")
    assert not TAG.search(body)
    quoted = re.findall(r'^  - (\d\d:\d\d) (Client|Therapist): "(.*)"$', appendix, re.M)
    assert len(quoted) >= 10
    utts = {u.id: u for u in demo().transcript.utterances}
    cited = {i for s in signed.sentences() for i in s.evidence}
    for clock, role, text in quoted:  # every quote is a real cited moment, short, at its real time
        words = text.removesuffix(" ...").split()
        assert len(words) <= 18
        match = [i for i in cited if utts[i].role.value == role.lower() and " ".join(words[:5]) in " ".join(
            utts[i].text.split())]
        assert match, text
        assert clock in {text_clock(utts[i].start) for i in match}, (clock, text)
    txt = export_note(signed, "text", with_appendix).decode()
    assert "EVIDENCE APPENDIX" in txt and re.search(r'^  \d\d:\d\d Client: "', txt, re.M)


def test_draft_says_draft_and_unknown_fields_say_not_recorded():
    n = draft_note(demo(), "dap")
    md = export_note(n, "markdown").decode()
    assert "DRAFT - not signed" in md and "SHA-256" not in md
    assert md.count(NOT_RECORDED) == 5  # client, date, start, duration, clinician: never guessed
    assert json.loads(export_note(n, "fhir-composition"))["status"] == "preliminary"


def test_docx_has_header_table_prose_and_signature(signed, with_appendix):
    from docx import Document
    doc = Document(io.BytesIO(export_note(signed, "docx", with_appendix)))
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert cells[:4] == ["Client", "c-3f9a1b", "Date of service", "2026-11-27"] and "Helen Carter, LCSW" in cells
    body = "\n".join(p.text for p in doc.paragraphs)
    for s in signed.sentences():
        assert s.text in body
    before_appendix = body.split("Appendix: evidence")[0]
    assert not TAG.search(before_appendix) and signed.signature.content_sha256 in before_appendix
    assert re.search(r'\d\d:\d\d Client: "', body)


def _pdf_text(data: bytes) -> str:
    """The text shown by Tj operators in the PDF's (Flate-compressed) content streams — enough to read
    what fpdf2 writes with its core fonts, without adding a PDF reader dependency."""
    out = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            content = zlib.decompress(raw)
        except zlib.error:
            content = raw
        for m in re.finditer(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", content):
            s = re.sub(rb"\\(.)", rb"\1", m.group(1))
            out.append(s.decode("latin-1"))
    return " ".join(out)


def test_pdf_holds_header_prose_signature(signed):
    data = export_note(signed, "pdf", ExportOptions(HEADER))
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-64:]
    flat = re.sub(r"\s+", " ", _pdf_text(data))
    for value in ["Date of service", "Clinician", *_header_values(), signed.signature.content_sha256]:
        assert value in flat
    assert not TAG.search(flat)
    for w in _first_words(signed, 4):
        assert w.replace("\u2019", "'") in flat


def _pages(pdf: bytes, folder) -> list[tuple[int, int, bytes]]:
    """Render each page with poppler's pdftoppm (as a person would look at it): (width, height, grey pixels)."""
    folder.mkdir()
    (folder / "note.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-gray", str(folder / "note.pdf"), str(folder / "page")], check=True,
                   timeout=60)
    pages = []
    for p in sorted(folder.glob("page-*.pgm")):
        magic, w, h, maxval, pixels = p.read_bytes().split(maxsplit=4)  # binary PGM: P5 W H 255 <bytes>
        assert magic == b"P5" and maxval == b"255"
        pages.append((int(w), int(h), pixels))
    return pages


def _ink_rows(page: tuple[int, int, bytes]) -> list[int]:
    w, h, px = page
    return [y for y in range(h) if min(px[y * w:(y + 1) * w]) < 200]  # any ink, grey footer included


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm missing: scripts/ensure-system.sh installs it")
def test_pdf_pages_render_with_the_appendix_on_its_own_page(signed, with_appendix, tmp_path):
    plain = _pages(export_note(signed, "pdf", ExportOptions(HEADER)), tmp_path / "plain")
    full = _pages(export_note(signed, "pdf", with_appendix), tmp_path / "full")
    assert len(full) > len(plain) >= 1  # the appendix starts a new page
    rows, h = _ink_rows(plain[0]), plain[0][1]
    assert rows and rows[0] < 0.12 * h  # the title sits at the top of the page
    assert any(y > 0.9 * h for y in rows)  # the page footer is drawn
    assert len(rows) > 0.25 * h  # a page of text, not a blank or a single line


def test_fhir_composition_has_required_fields(signed):
    c = json.loads(export_note(signed, "fhir-composition", ExportOptions(HEADER)))
    assert c["resourceType"] == "Composition" and c["subject"]["display"] == "c-3f9a1b"
    for field in ("status", "type", "date", "author", "title"):  # R4 Composition 1..1 / 1..* elements
        assert c[field]
    assert c["status"] == "amended" and c["type"]["coding"][0]["code"] == "11506-3"
    assert c["attester"][0]["mode"] == "legal" and c["attester"][0]["party"]["display"] == "helen"
    for sec in c["section"]:
        assert sec["title"] and sec["text"]["status"] == "generated"
        assert sec["text"]["div"].startswith('<div xmlns="http://www.w3.org/1999/xhtml">')
    assert len(c["section"]) == len(signed.sections) + 1  # + the addendum
    assert not TAG.search(json.dumps(c))  # the narrative is clean prose too


def test_fhir_document_reference_carries_the_text_export(signed):
    d = json.loads(export_note(signed, "fhir-documentreference", ExportOptions(HEADER)))
    assert d["resourceType"] == "DocumentReference" and d["status"] == "current" and d["docStatus"] == "final"
    att = d["content"][0]["attachment"]
    data = base64.b64decode(att["data"])
    assert att["size"] == len(data) and base64.b64decode(att["hash"]) == hashlib.sha1(data).digest()
    assert data == export_note(signed, "text", ExportOptions(HEADER))


def test_every_exporter_runs_and_unknown_is_an_input_error():
    n = draft_note(demo(), "birp")
    assert all(export_note(n, k) for k in EXPORTERS)
    with pytest.raises(InputError, match="unknown export"):
        export_note(n, "exe")


def test_header_field_helpers():
    from datetime import datetime, timezone
    assert session_times(None) == (NOT_RECORDED, NOT_RECORDED)
    day, start = session_times(datetime(2026, 11, 27, 14, 5, tzinfo=timezone.utc))
    assert re.fullmatch(r"2026-11-2[67]", day) and re.fullmatch(r"\d\d:\d\d.*", start)
    assert duration_text(16 * 60 + 20) == "16 min" and duration_text(None) == NOT_RECORDED
    assert parse_date(" 2026-11-27 ") == "2026-11-27" and parse_start("9:05") == "09:05"
    for bad in ("27/11/2026", "2026-13-01", "yesterday"):
        with pytest.raises(InputError, match="YYYY-MM-DD"):
            parse_date(bad)
    for bad in ("25:00", "9am", "14:00:00"):
        with pytest.raises(InputError, match="HH:MM"):
            parse_start(bad)


def test_the_terminal_review_view_keeps_each_sentence_with_its_evidence(signed):
    """`note draft`/`note show` print the working view: unlike a filed export, every sentence shows the
    moments it cites, so the clinician can check it."""
    from sessionlens.notes.export.markdown import render_review
    view = render_review(signed)
    cited = [s for s in signed.sentences() if s.evidence]
    assert len(TAG.findall(view)) == len(cited) and f"SHA-256 {signed.signature.content_sha256}" in view


def test_cli_draft_prints_the_review_view(capsys):
    from pathlib import Path

    from sessionlens.cli import run
    path = Path(__file__).resolve().parents[2] / "src" / "sessionlens" / "data" / "demo_session.vtt"
    assert run(["note", "draft", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# SOAP progress note") and TAG.search(out)
