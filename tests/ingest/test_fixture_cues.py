"""The cue fixtures of the timed subtitle formats (SRT, WebVTT) parse to the expected speakers, times and
texts, with source timing, and each utterance remembers its timing line in the file."""

from __future__ import annotations

import pytest

from sessionlens.domain import Timing

from .helpers import fixture, parse, rows

# fixture -> (speaker, start, end, text) per utterance, and the source line of each
CUES = {
    "cues.srt": ([
        ("Therapist", 1.0, 3.5, "What would you like to focus on?"),
        ("Client", 3.6, 6.0, "Work, mostly. And sleep."),
        ("Speaker", 5.0, 7.0, "So what happens at night?"),
    ], [2, 6, 11]),
    "cues.vtt": ([
        ("Therapist", 1.0, 4.2, "How are you feeling today?"),
        ("Client", 4.5, 7.0, "Tired, & a bit on edge."),
        ("Therapist", 5.0, 8.25, "That sounds heavy."),  # mm:ss.ttt; overlaps the previous cue: kept
        ("Speaker", 9.0, 10.0, "Mm-hmm."),  # no voice, no prefix → the documented default
    ], [11, 14, 19, 22]),
}


@pytest.mark.parametrize("name", sorted(CUES))
def test_fixture_cues(name: str) -> None:
    expected_rows, timing_lines = CUES[name]
    fmt = name.rsplit(".", 1)[1]
    t = parse(fixture(name), name=f"s.{fmt}")
    assert t.source_format == fmt and t.timing is Timing.SOURCE
    assert rows(t) == expected_rows
    assert [u.source_line for u in t.utterances] == timing_lines
