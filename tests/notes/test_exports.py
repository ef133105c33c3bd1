"""Exports: Markdown, EHR plain text, PDF, DOCX and FHIR R4 — each holds the note's sentences."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import zlib

import pytest

from sessionlens.notes import draft_note
from sessionlens.notes import workflow as wf
from sessionlens.notes.export import EXPORTERS, export_note

from .helpers import demo


@pytest.fixture(scope="module")
def signed():
    n = wf.sign(draft_note(demo(), "soap"), "helen", "2026-11-27T20:00:00+00:00")
    return wf.add_addendum(n, "helen", "2026-11-28T09:00:00+00:00", "Client phoned to confirm Wednesday.")


def _first_words(note, n=6):
    return [" ".join(s.text.split()[:n]) for s in note.sentences()]


def test_markdown_and_text(signed):
    md = export_note(signed, "markdown").decode()
    assert md.startswith("# SOAP progress note") and "## Relational process" in md and "[u146, u147" in md
    txt = export_note(signed, "text").decode()
    assert "RELATIONAL PROCESS:" in txt and "[u" not in txt and "#" not in txt and txt.isascii()
    for w in _first_words(signed):
        assert w in md and w.replace("\u2019", "'") in txt
    assert "ADDENDUM 1" in txt


def test_docx_opens_and_contains_the_sentences(signed):
    from docx import Document
    doc = Document(io.BytesIO(export_note(signed, "docx")))
    body = "\n".join(p.text for p in doc.paragraphs)
    for s in signed.sentences():
        assert s.text in body


def test_pdf_opens_and_contains_the_sentences(signed):
    data = export_note(signed, "pdf")
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-64:]
    assert b"/Type /Catalog" in data and b"xref" in data and b"trailer" in data
    flat = re.sub(r"\s+", " ", _pdf_text(data))
    for w in _first_words(signed, 4):
        assert w.replace("\u2019", "'") in flat


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


def test_fhir_composition_has_required_fields(signed):
    c = json.loads(export_note(signed, "fhir-composition"))
    assert c["resourceType"] == "Composition"
    for field in ("status", "type", "date", "author", "title"):  # R4 Composition 1..1 / 1..* elements
        assert c[field]
    assert c["status"] == "amended" and c["type"]["coding"][0]["code"] == "11506-3"
    assert c["attester"][0]["mode"] == "legal" and c["attester"][0]["party"]["display"] == "helen"
    for sec in c["section"]:
        assert sec["title"] and sec["text"]["status"] == "generated"
        assert sec["text"]["div"].startswith('<div xmlns="http://www.w3.org/1999/xhtml">')
    assert len(c["section"]) == len(signed.sections) + 1  # + the addendum


def test_fhir_document_reference_has_required_fields(signed):
    d = json.loads(export_note(signed, "fhir-documentreference"))
    assert d["resourceType"] == "DocumentReference" and d["status"] == "current" and d["docStatus"] == "final"
    att = d["content"][0]["attachment"]
    data = base64.b64decode(att["data"])
    assert att["size"] == len(data) and base64.b64decode(att["hash"]) == hashlib.sha1(data).digest()
    assert data == export_note(signed, "text")


def test_draft_exports_say_draft():
    n = draft_note(demo(), "dap")
    assert json.loads(export_note(n, "fhir-composition"))["status"] == "preliminary"
    assert "DRAFT" in export_note(n, "markdown").decode()


def test_every_exporter_runs():
    n = draft_note(demo(), "birp")
    assert all(export_note(n, k) for k in EXPORTERS)
