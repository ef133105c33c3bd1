"""Every format round-trips: writer then parser gives back what the format can hold."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from sessionlens.domain import Timing
from sessionlens.ingest.formats import FORMATS, detect_format, render_transcript

from .helpers import fixture, parse, transcripts

# What each format holds: times (start only / start and end) and words.
HOLDS = {
    "text": ("start",), "docx": ("start",),
    "vtt": ("start", "end"), "srt": ("start", "end"), "csv": ("start", "end"),
    "whisper_json": ("start", "end", "words"), "sessionlens_json": ("start", "end", "words"),
}
ROUND = settings(max_examples=30, deadline=None)


def _shape(t, fields):
    return [(u.speaker, " ".join(u.text.split()), *(getattr(u, f) for f in fields)) for u in t.utterances]


def _check(t, fmt):
    data = render_transcript(t, fmt)
    assert detect_format(data) == fmt
    back = parse(data, name=f"rt.{fmt}")
    if fmt == "sessionlens_json":
        assert back == t  # exact, including the original source_format and every field
        return
    assert back.source_format == fmt
    assert [s.id for s in back.speakers] == [s.id for s in t.speakers]
    assert [u.id for u in back.utterances] == [u.id for u in t.utterances]
    assert _shape(back, HOLDS[fmt]) == _shape(t, HOLDS[fmt])
    if "end" in HOLDS[fmt]:
        assert back.timing is Timing.SOURCE


def test_every_format_is_covered():
    assert set(HOLDS) == set(FORMATS)


@pytest.mark.parametrize("fmt", sorted(HOLDS))
@ROUND
@given(t=transcripts(with_words=True))
def test_generated_transcripts_round_trip(fmt, t):
    _check(t, fmt)


@pytest.mark.parametrize("fmt", sorted(HOLDS))
@pytest.mark.parametrize("name", ["inline_timed.txt", "cues.vtt", "whisperx.json", "annomi_like.csv"])
def test_fixtures_round_trip(fmt, name):
    _check(parse(fixture(name), name=name), fmt)


def test_untimed_transcript_round_trips_through_text_with_its_estimates():
    t = parse(fixture("untimed.txt"))
    back = parse(render_transcript(t, "text"))
    assert [(u.speaker, u.start, u.text) for u in back.utterances] == [(u.speaker, u.start, u.text) for u in t.utterances]


def test_multiline_utterance_text_survives_as_continuation():
    t = parse("T: first\nC: two\nlines\n")
    assert render_transcript(t, "text").decode() == "[00:00:00.000] T: first\n[00:00:00.400] C: two lines\n"


def test_writers_estimate_times_a_transcript_lacks():
    from dataclasses import replace

    t = parse("T: one two three\nC: four five\n")
    untimed = replace(t, utterances=tuple(replace(u, start=None, end=None, timing=Timing.NONE) for u in t.utterances))
    assert render_transcript(untimed, "text").decode() == "T: one two three\nC: four five\n"
    back = parse(render_transcript(untimed, "srt"), name="x.srt")
    assert [(u.start, u.end) for u in back.utterances] == [(0.0, 1.2), (1.2, 2.0)]
