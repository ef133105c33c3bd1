"""Bad input: files, encodings, empty input, huge input; fuzzing every parser."""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessionlens.errors import InputError, TranscriptError
from sessionlens.ingest import load_transcript
from sessionlens.ingest.formats import FORMATS, parse_transcript, read_file, render_transcript
from sessionlens.services.analysis import analyze_transcript

from .helpers import FIXTURES, fixture, parse, transcripts
from .test_docx import make_docx


def test_missing_file(tmp_path):
    p = tmp_path / "nope.txt"
    with pytest.raises(InputError, match=f"^{p}: file not found$"):
        load_transcript(p)


def test_directory(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        load_transcript(tmp_path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable(tmp_path):
    p = tmp_path / "locked.txt"
    p.write_text("T: hi\n")
    p.chmod(0)
    with pytest.raises(InputError, match="permission denied"):
        load_transcript(p)


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_not_a_regular_file():
    with pytest.raises(InputError, match="not a regular file"):
        load_transcript("/dev/null")


def test_size_cap(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes(b"T: hi\n" * 100)
    with pytest.raises(InputError, match="larger than 0 MB"):
        read_file(p, limit=10)


def test_load_names_the_path_in_parse_errors(tmp_path):
    p = tmp_path / "s.txt"
    p.write_text("intro\nno speakers here\n")
    with pytest.raises(InputError, match=f"^{p}: "):
        load_transcript(p)


def test_load_fixture():
    assert len(load_transcript(FIXTURES / "cues.srt").utterances) == 3


@pytest.mark.parametrize("data", [b"", b"   \n\n\t\n", "\ufeff".encode()])
@pytest.mark.parametrize("fmt", [None, "text", "vtt", "srt", "csv"])
def test_empty_input_has_no_utterances(data, fmt):
    with pytest.raises(TranscriptError, match="e.txt: no utterances found"):
        parse_transcript(data, source="e.txt", fmt=fmt)


def test_non_utf8_names_offset():
    with pytest.raises(InputError, match=r"x.txt: is not UTF-8 text \(invalid byte at offset 9\)"):
        parse(b"T: caf\xc3\xa9 \xe9t\xe9\n", name="x.txt")


def test_nul_bytes_when_format_forced():
    with pytest.raises(InputError, match="NUL character"):
        parse(b"T: a\x00b\n", fmt="text")


def test_speech_rate_validated():
    with pytest.raises(InputError, match="speech rate"):
        parse("T: hi", speech_rate_wpm=0)


def test_hundred_thousand_lines_parse_in_linear_time():
    small = "".join(f"[{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}] {'Therapist' if i % 2 else 'Client'}: "
                    f"line {i} has some words in it\n" for i in range(10_000)).encode()
    big = "".join(f"[{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}] {'Therapist' if i % 2 else 'Client'}: "
                  f"line {i} has some words in it\n" for i in range(100_000)).encode()
    t0 = time.perf_counter()
    parse(small)
    t_small = time.perf_counter() - t0
    t0 = time.perf_counter()
    t = parse(big)
    t_big = time.perf_counter() - t0
    assert len(t.utterances) == 100_000 and t.utterances[-1].id == "u100000"
    assert t_big < 20
    assert t_big < 30 * t_small + 1  # 10x the input: far from the 100x a quadratic parser would take


def test_one_huge_utterance_is_linear():
    data = ("T: start\n" + "continuation words go on and on\n" * 100_000).encode()
    t0 = time.perf_counter()
    t = parse(data)
    assert len(t.utterances) == 1 and time.perf_counter() - t0 < 20


PATHOLOGICAL = [
    "WEBVTT\n\n00:01.000 --> 00:02.000\n<v" + ".a" * 5000 + "!\n",
    "1\n00:00:01,000 --> 00:00:02,000\n" + "<" * 20000 + "\n",
    "T" + " " * 50000 + ":" + " x" * 20000 + "\n",
    "\n" * 50000 + "1\n00:00:01,000 --> 00:00:02,000\nT: x\n",
    "[" + "0:" * 30000 + "\n",
    ("Dr. " * 20000) + ": x\n",
    "speaker,start,text\n" + 'T,1,"' + "," * 50000 + '"\n',
]


@pytest.mark.parametrize("text", PATHOLOGICAL, ids=range(len(PATHOLOGICAL)))
@pytest.mark.parametrize("fmt", [None, "text", "vtt", "srt", "csv"])
def test_no_regex_blowups(text, fmt):
    t0 = time.perf_counter()
    _only_input_errors(text.encode(), fmt)
    assert time.perf_counter() - t0 < 5


# --- fuzzing: whatever comes in, only InputError subclasses come out -----------------------------

SEEDS = [fixture(p.name) for p in sorted(FIXTURES.iterdir())]


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "cut", "dup", "insert"]))
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[i] = draw(st.integers(0, 255))
        elif op == "cut":
            del data[i : i + draw(st.integers(1, 40))]
        elif op == "dup":
            data[i:i] = data[i : i + draw(st.integers(1, 60))]
        else:
            data[i:i] = draw(st.sampled_from([b":", b"-->", b"\n", b"\n\n", b'"', b",", b"[", b"{", b"-1", b"99:99",
                                              b"<v ", b"\xff", b"\x00", b"00:00:01", b"NaN", b"null"]))
    return bytes(data)


TOKENS = [*"Tc: \n0123456789-.,>[](){}\"<v_;\t\r", "-->", "WEBVTT\n", "00:00:01", "1:99", "Therapist:",
          "<v A>", '{"segments":', '"start":', "speaker,start,end,text\n", "\n\n", "NOTE", "é"]
TEXTY = st.lists(st.sampled_from(TOKENS), max_size=120).map("".join)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _only_input_errors(data: bytes, fmt: str | None) -> None:
    try:
        t = parse_transcript(data, source="fuzz", fmt=fmt, transcript_id=None)
    except InputError:
        return
    assert t.utterances
    if b'"format": "sessionlens"' in data and any(u.start is None or u.end is None for u in t.utterances):
        # The project's own format is lossless, null times included (tests/ingest/test_sessionlens_json.py);
        # such a transcript must still analyse without an error, and every time it does carry must be sane.
        assert all(u.end >= u.start for u in t.utterances if u.start is not None and u.end is not None)
        analyze_transcript(t)
        return
    assert all(u.start is not None and u.end is not None and u.end >= u.start for u in t.utterances)


@FUZZ
@given(mutated(), st.sampled_from([None, *FORMATS]))
def test_mutated_fixtures_raise_only_input_errors(data, fmt):
    _only_input_errors(data, fmt)


@FUZZ
@given(TEXTY, st.sampled_from([None, *FORMATS]))
def test_random_structured_text_raises_only_input_errors(text, fmt):
    _only_input_errors(text.encode("utf-8"), fmt)


@FUZZ
@given(st.binary(max_size=400), st.sampled_from([None, *FORMATS]))
def test_random_bytes_raise_only_input_errors(data, fmt):
    _only_input_errors(data, fmt)


@settings(max_examples=25, deadline=None)
@given(transcripts(), st.sampled_from(sorted(FORMATS)), st.data())
def test_mutated_renderings_raise_only_input_errors(t, fmt, data):
    raw = bytearray(render_transcript(t, fmt))
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] = data.draw(st.integers(0, 255))
    _only_input_errors(bytes(raw), data.draw(st.sampled_from([None, fmt])))


def test_mutated_docx_tables():
    raw = bytearray(make_docx(table=[["Speaker", "Start", "Text"], ["T", "1", "x"]]))
    for i in range(0, len(raw), max(1, len(raw) // 50)):
        bad = bytearray(raw)
        bad[i] ^= 0xFF
        _only_input_errors(bytes(bad), None)
