"""Whisper / faster-whisper / whisperX JSON: segments, words, speakers, JSON-path errors."""

from __future__ import annotations

import pytest

from sessionlens.domain import Word
from sessionlens.errors import ParseError

from .helpers import fixture, parse, rows, slips, timings


def test_openai_whisper_cli_output():
    t = parse(fixture("whisper_openai.json"), name="w.json")
    assert t.source_format == "whisper_json" and t.language == "en"
    assert rows(t) == [("SPEAKER_00", 0.0, 1.2, "Hello there."), ("SPEAKER_00", 1.5, 2.8, "How are you?")]
    assert t.utterances[0].words == (Word("Hello", 0.0, 0.5, 0.98), Word("there.", 0.5, 1.2, 0.91))
    assert [u.source_line for u in t.utterances] == [1, 2]  # segment numbers


def test_faster_whisper_list_of_segments():
    t = parse(fixture("faster_whisper.json"), name="f.json")
    assert rows(t) == [("SPEAKER_00", 0.0, 2.0, "I keep putting it off."), ("SPEAKER_00", 2.5, 3.0, "Why?")]
    assert t.utterances[0].words == (Word("I", 0.0, 0.4, 0.99),)


def test_whisperx_speakers_and_untimed_words():
    t = parse(fixture("whisperx.json"), name="x.json")
    assert [s.id for s in t.speakers] == ["SPEAKER_01", "SPEAKER_00"]
    assert [u.speaker for u in t.utterances] == ["SPEAKER_01", "SPEAKER_00", "SPEAKER_00"]
    assert t.utterances[0].words[2] == Word("the", None, None, 0.5)
    assert t.utterances[0].words[0].confidence == 0.9


@pytest.mark.parametrize(("doc", "message"), [
    ('{"segments": [{"start": 0, "end": 1, "text": 5}]}', r"segments\[0\].text: expected a string"),
    ('{"segments": [{"start": 0, "end": 1, "text": "a", "words": [{"word": "a", "start": -1}]}]}',
     r"segments\[0\].words\[0\].start: negative or non-finite time"),
    ('{"segments": ["nope"]}', r"segments\[0\]: expected an object"),
])
def test_schema_errors_name_the_json_path(doc, message):
    with pytest.raises(ParseError, match=message):
        parse(doc, fmt="whisper_json")


def test_backwards_segment_named_by_path():
    doc = '{"segments": [{"start": 5, "end": 6, "text": "a"}, {"start": 1, "end": 2, "text": "b"}]}'
    t = parse(doc, fmt="whisper_json")
    assert timings(t) == ["source", "inconsistent"]
    assert slips(t) == [
        ("segments[1]", "timestamps go backwards: 00:00:01.000 after 00:00:05.000 (segments[0])")]


def test_segment_time_that_is_not_a_time_keeps_the_segment():
    doc = '{"segments": [{"start": 0, "end": 1, "text": "a"}, {"start": "x", "end": 2, "text": "b"}]}'
    t = parse(doc, fmt="whisper_json")
    assert [u.text for u in t.utterances] == ["a", "b"]
    assert slips(t) == [("segments[1]", "start or end is not a time (negative, not finite or not a number)")]


def test_invalid_json_names_line():
    with pytest.raises(ParseError, match=r"line 2: invalid JSON"):
        parse('{"segments":\n [}', fmt="whisper_json")


def test_nan_rejected():
    with pytest.raises(ParseError, match="invalid JSON"):
        parse('{"segments": [{"start": NaN, "end": 1, "text": "a"}]}', fmt="whisper_json")
