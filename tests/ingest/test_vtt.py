"""WebVTT: header, NOTE/STYLE blocks, cue ids and settings, voice tags, name prefixes, tags (the cue fixture:
test_fixture_cues.py)."""

from __future__ import annotations

import pytest

from sessionlens.domain import Timing
from sessionlens.errors import ParseError

from .helpers import parse, rows, slips, timings


def test_voice_with_classes_and_closing_tag():
    t = parse("WEBVTT\n\n00:01.000 --> 00:02.000\n<v.first.loud Dr. Lee>Hello <b>there</b></v>\n")
    assert rows(t) == [("Dr. Lee", 1.0, 2.0, "Hello there")]


def test_header_required():
    with pytest.raises(ParseError, match="line 1: missing 'WEBVTT' header"):
        parse("00:01.000 --> 00:02.000\nhi\n", fmt="vtt")


def test_malformed_cue_timing_keeps_the_cue():
    t = parse("WEBVTT\n\n00:01.000 --> soon\nhi\n", fmt="vtt")
    assert [u.text for u in t.utterances] == ["hi"]
    assert slips(t) == [("line 3", "malformed cue timing (expected '00:00:01.000 --> 00:00:02.000')")]
    assert t.timing is Timing.INCONSISTENT  # no cue's times fit: nothing timed is left


def test_cue_ending_before_it_starts_is_marked():
    t = parse("WEBVTT\n\n00:01.000 --> 00:02.000\na\n\n00:05.000 --> 00:02.000\nhi\n", fmt="vtt")
    assert timings(t) == ["source", "inconsistent"]
    assert slips(t) == [("line 6", "ends at 00:00:02.000 before it starts at 00:00:05.000")]


def test_header_only_is_no_utterances():
    from sessionlens.errors import TranscriptError

    with pytest.raises(TranscriptError, match="no utterances"):
        parse("WEBVTT\n\nNOTE nothing here\n", fmt="vtt")
