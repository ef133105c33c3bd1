"""SRT: index, comma milliseconds, Name: prefixes, tags, the default speaker label (the cue fixture:
test_fixture_cues.py)."""

from __future__ import annotations

import pytest

from sessionlens.errors import ParseError

from .helpers import parse, rows, slips, timings


def test_blank_line_inside_a_cue_continues_it():
    t = parse("1\n00:00:01,000 --> 00:00:02,000\nT: first part\n\nsecond part\n\n2\n00:00:03,000 --> "
              "00:00:04,000\nC: ok\n", fmt="srt")
    assert rows(t)[0] == ("T", 1.0, 2.0, "first part second part")


def test_ass_override_tags_stripped_and_ampersand_kept():
    t = parse("1\n00:00:01,000 --> 00:00:02,000\n{\\an8}Client: salt & pepper\n", fmt="srt")
    assert rows(t) == [("Client", 1.0, 2.0, "salt & pepper")]


def test_text_before_first_cue():
    with pytest.raises(ParseError, match="line 1: expected a cue timing line"):
        parse("hello\n\n1\n00:00:01,000 --> 00:00:02,000\nhi\n", fmt="srt")


def test_decreasing_cues_are_kept_and_marked():
    srt = "1\n00:00:05,000 --> 00:00:06,000\nA: x\n\n2\n00:00:01,000 --> 00:00:02,000\nB: y\n"
    t = parse(srt, fmt="srt")
    assert [u.text for u in t.utterances] == ["x", "y"]
    assert timings(t) == ["source", "inconsistent"]
    assert slips(t) == [("line 6", "timestamps go backwards: 00:00:01.000 after 00:00:05.000 (line 2)")]


def test_duplicate_cue_timing_is_marked():
    srt = ("1\n00:00:05,000 --> 00:00:06,000\nA: x\n\n2\n00:00:05,000 --> 00:00:06,000\nB: y\n\n"
           "3\n00:00:07,000 --> 00:00:08,000\nA: z\n")
    t = parse(srt, fmt="srt")
    assert timings(t) == ["source", "inconsistent", "source"]
    assert slips(t) == [
        ("line 6", "duplicate timestamp: the same times as line 2 (00:00:05.000 --> 00:00:06.000)")]
