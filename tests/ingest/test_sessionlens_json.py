"""The project's own JSON: lossless round trip, and schema errors naming the JSON path."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings

from sessionlens.codec import transcript_to_dict
from sessionlens.errors import ParseError, TimestampError, TranscriptError
from sessionlens.ingest.formats import render_transcript

from .helpers import fixture, parse, rich_transcripts


def _doc() -> dict:
    return transcript_to_dict(parse(fixture("whisperx.json"), name="x.json"))


def test_round_trip_of_a_parsed_transcript_is_exact():
    t = parse(fixture("whisperx.json"), name="x.json")
    back = parse(render_transcript(t, "sessionlens_json"), name="t.json")
    assert back == t and back.metadata == t.metadata and back.source_format == "whisper_json"


@settings(max_examples=60, deadline=None)
@given(rich_transcripts())
def test_round_trip_is_lossless(t):
    back = parse(render_transcript(t, "sessionlens_json"), fmt=None, name="t.json")
    assert back == t
    assert back.metadata == t.metadata


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda d: d["utterances"][0].pop("text"), r"utterances\[0\].text: expected a string"),
    (lambda d: d["utterances"][1].update(start="1s"), r"utterances\[1\].start: expected a number or null"),
    (lambda d: d["utterances"][0].update(role="boss"), r"utterances\[0\].role: expected one of client, other"),
    (lambda d: d["utterances"][0].update(speaker="nobody"), r"utterances\[0\].speaker: expected the id of one"),
    (lambda d: d["speakers"][0].update(role=None), r"speakers\[0\].role: expected one of"),
    (lambda d: d["utterances"][0]["words"][0].update(text=3), r"utterances\[0\].words\[0\].text"),
    (lambda d: d.update(speakers={}), "speakers: expected a list"),
    (lambda d: d["utterances"][0].update(source_line=1.5), r"utterances\[0\].source_line: expected an integer"),
])
def test_schema_errors_name_the_path(mutate, message):
    d = _doc()
    mutate(d)
    with pytest.raises(ParseError, match=message):
        parse(json.dumps(d), name="t.json")


def test_negative_time_and_negative_duration():
    d = _doc()
    d["utterances"][1]["start"] = -1
    with pytest.raises(TimestampError, match=r"utterances\[1\].start: negative"):
        parse(json.dumps(d), name="t.json")
    d = _doc()
    d["utterances"][1]["end"] = 0.5
    with pytest.raises(TimestampError, match=r"utterances\[1\]: negative duration"):
        parse(json.dumps(d), name="t.json")


def test_no_utterances():
    d = _doc()
    d["utterances"] = []
    with pytest.raises(TranscriptError, match="no utterances"):
        parse(json.dumps(d), name="t.json")


def test_wrong_format_marker_when_forced():
    with pytest.raises(ParseError, match="format: expected 'sessionlens'"):
        parse('{"format": "other"}', fmt="sessionlens_json")
