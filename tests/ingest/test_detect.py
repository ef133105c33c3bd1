"""Format detection: content first, the extension only breaks ties."""

from __future__ import annotations

import pytest

from sessionlens.errors import InputError, UnsupportedFormatError
from sessionlens.ingest.formats import FORMATS, detect_format, render_transcript

from .helpers import fixture, parse
from .test_docx import _zip, make_docx

EXPECTED = {
    "inline_timed.txt": "text", "untimed.txt": "text", "otter.txt": "text", "rev.txt": "text",
    "cues.vtt": "vtt", "cues.srt": "srt", "whisper_openai.json": "whisper_json",
    "faster_whisper.json": "whisper_json", "whisperx.json": "whisper_json", "annomi_like.csv": "csv",
    "semicolon.csv": "csv", "tabs.tsv": "csv",
}


@pytest.mark.parametrize(("name", "fmt"), sorted(EXPECTED.items()))
def test_fixtures_detected_from_content_even_without_extension(name, fmt):
    assert detect_format(fixture(name)) == fmt
    assert detect_format(fixture(name), "misleading.docx") == fmt


def test_registry_names():
    assert set(FORMATS) == {"text", "vtt", "srt", "whisper_json", "csv", "docx", "sessionlens_json"}
    assert all(f.name == n for n, f in FORMATS.items())


def test_docx_and_sessionlens_json():
    assert detect_format(make_docx(["T: hi"])) == "docx"
    t = parse("T: hi\n")
    assert detect_format(render_transcript(t, "sessionlens_json"), "x.txt") == "sessionlens_json"


def test_text_that_starts_with_a_bracket_is_not_json():
    assert detect_format(b"[00:00:01] T: hi\n", "a.json") == "text"


def test_extension_breaks_a_tie():
    data = b"name,comment\nx,y\n"  # csv-ish, no known columns: csv and text both plausible
    assert detect_format(data, "a.csv") == "csv"
    assert detect_format(data, "a.txt") == "text"


def test_vtt_without_header_with_srt_layout_reads_as_srt():
    assert detect_format(b"1\n00:00:01.000 --> 00:00:02.000\nT: hi\n") == "srt"


def test_zip_that_is_not_docx():
    with pytest.raises(UnsupportedFormatError, match="a.zip: is a zip archive but not a DOCX"):
        detect_format(_zip({"a.txt": b"x"}), "a.zip")


def test_binary_garbage():
    with pytest.raises(UnsupportedFormatError, match="x.bin: binary data"):
        detect_format(bytes(range(256)) * 4, "x.bin")


def test_utf16_without_bom_gets_a_hint():
    with pytest.raises(InputError, match="UTF-16 text without a byte-order mark"):
        detect_format("T: hello there\n".encode("utf-16-le"), "x.txt")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_boms_decode(encoding):
    t = parse("WEBVTT\n\n00:01.000 --> 00:02.000\n<v T>hé\n".encode(encoding), name="x.vtt")
    assert t.source_format == "vtt" and t.utterances[0].text == "hé"


def test_unknown_format_name():
    with pytest.raises(UnsupportedFormatError, match="unknown format 'pdf'; known: text, vtt"):
        parse("T: hi", fmt="pdf")
    with pytest.raises(UnsupportedFormatError):
        render_transcript(parse("T: hi"), "pdf")


@pytest.mark.parametrize("doc", [b'{"a": 1}', b"[1, 2, 3]", b'{"segments": 3}'])
def test_json_of_another_kind(doc):
    with pytest.raises(UnsupportedFormatError, match="is JSON but neither Whisper output"):
        detect_format(doc, "x.json")
