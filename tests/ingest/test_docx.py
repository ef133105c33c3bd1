"""DOCX: paragraph layouts, soft breaks, tables, and archives that are not (safe) documents."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from sessionlens.errors import InputError, ParseError

from .helpers import parse, rows, slips


def make_docx(paragraphs=(), table=None) -> bytes:
    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        tb = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                tb.cell(r, c).text = value
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_paragraph_layouts():
    data = make_docx(["Session transcript", "", "Speaker 1  0:03", "Hello and welcome.",
                      "Speaker 2  0:08", "Thanks.", "[00:00:12] Speaker 1: So, where to start?"])
    t = parse(data, name="s.docx")
    assert t.source_format == "docx"
    assert rows(t) == [("Speaker 1", 3.0, 8.0, "Hello and welcome."), ("Speaker 2", 8.0, 12.0, "Thanks."),
                       ("Speaker 1", 12.0, 13.6, "So, where to start?")]
    assert [u.source_line for u in t.utterances] == [3, 5, 7]  # paragraph numbers
    assert t.metadata["skipped_preamble_lines"] == 1


def test_soft_line_break_inside_a_paragraph():
    t = parse(make_docx(["Therapist (00:01):\nHow was it?", "Client (00:04):\nFine."]), name="s.docx")
    assert rows(t)[0] == ("Therapist", 1.0, 4.0, "How was it?")


def test_table_transcript():
    data = make_docx(["Header text"], table=[["Speaker", "Time", "Text"], ["T", "00:01", "Hi."],
                                             ["C", "00:03", "Hello."]])
    t = parse(data, name="s.docx")
    assert rows(t) == [("T", 1.0, 3.0, "Hi."), ("C", 3.0, 3.4, "Hello.")]
    assert [u.source_line for u in t.utterances] == [2, 3]


def test_table_bad_time_is_kept_and_named_by_table_and_row():
    data = make_docx(table=[["Speaker", "Start", "Text"], ["T", "00:01", "Hi."], ["C", "1:99", "x"]])
    t = parse(data, name="s.docx")
    assert [u.text for u in t.utterances] == ["Hi.", "x"]
    assert slips(t) == [("table 1, row 3", "malformed timestamp '1:99' (field out of range)")]


def test_table_time_going_backwards_is_marked():
    data = make_docx(table=[["Speaker", "Start", "Text"], ["T", "00:09", "Hi."], ["C", "00:02", "x"],
                            ["T", "00:12", "y"]])
    t = parse(data, name="s.docx")
    assert [u.timing.value for u in t.utterances] == ["end_estimated", "inconsistent", "end_estimated"]
    assert slips(t) == [
        ("table 1, row 3", "timestamps go backwards: 00:00:02.000 after 00:00:09.000 (table 1, row 2)")]


def test_no_labels():
    with pytest.raises(ParseError, match="no speaker labels found"):
        parse(make_docx(["Some prose.", "More prose."]), name="s.docx")


def _zip(entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, body in entries.items():
            z.writestr(name, body)
    return buf.getvalue()


def test_zip_without_document_is_refused():
    with pytest.raises(InputError, match="zip archive but not a DOCX"):
        parse(_zip({"hello.txt": b"hi"}), name="x.docx")


def test_not_a_zip_with_docx_format_forced():
    with pytest.raises(InputError, match="not a DOCX file"):
        parse(b"plain text pretending", fmt="docx", name="x.docx")


def test_zip_bomb_is_refused_before_unpacking():
    bomb = _zip({"word/document.xml": b"\0" * (60 * 1024 * 1024)})
    assert len(bomb) < 200_000
    with pytest.raises(InputError, match="zip bomb"):
        parse(bomb, name="bomb.docx")


def test_broken_document_xml():
    data = _zip({"word/document.xml": b"<not xml", "[Content_Types].xml": b"<x/>"})
    with pytest.raises(InputError, match="not a readable DOCX"):
        parse(data, name="x.docx")
