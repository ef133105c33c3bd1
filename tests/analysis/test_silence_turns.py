"""For a recording, silences come from the voice (speech turns), not only from recognised words."""

from __future__ import annotations

from sessionlens.analysis.silence import find_silences, voiced_spans
from sessionlens.domain import Role, Speaker, Timing, Transcript, Utterance


def _recording(turns: list[dict]) -> Transcript:
    utts = (
        Utterance("u1", "SPEAKER_1", Role.THERAPIST, 0.0, 2.0, "How was the week?"),
        Utterance("u2", "SPEAKER_2", Role.CLIENT, 6.0, 8.0, "Hard."),
        Utterance("u3", "SPEAKER_1", Role.THERAPIST, 12.0, 13.0, "Tell me more."),
    )
    speakers = (Speaker("SPEAKER_1", "Speaker 1", Role.THERAPIST), Speaker("SPEAKER_2", "Speaker 2", Role.CLIENT))
    return Transcript(utts, speakers, source_format="audio", timing=Timing.SOURCE,
                      metadata={"speech_turns": turns})


def _turn(speaker: str, start: float, end: float, transcribed: bool = True) -> dict:
    return {"speaker": speaker, "start": start, "end": end, "transcribed": transcribed, "overlap": False}


def test_untranscribed_speech_breaks_a_silence():
    # The client murmured from 3.5 to 4.5 s: no words, but a voice. The 4 s word gap is two short silences.
    t = _recording([_turn("SPEAKER_1", 0.0, 2.0), _turn("SPEAKER_2", 3.5, 4.5, False),
                    _turn("SPEAKER_2", 6.0, 8.0), _turn("SPEAKER_1", 12.0, 13.0)])
    found = find_silences(t, 3.0)
    assert [(s.start, s.end, s.duration) for s in found] == [(8.0, 12.0, 4.0)]
    assert (found[0].before_utterance, found[0].after_utterance) == ("u2", "u3")
    assert [(s.start, s.end) for s in find_silences(t, 1.0)] == [(2.0, 3.5), (4.5, 6.0), (8.0, 12.0)]


def test_overlapping_turns_are_one_stretch_of_voice():
    t = _recording([_turn("SPEAKER_1", 0.0, 2.0), _turn("SPEAKER_2", 1.5, 3.0), _turn("SPEAKER_2", 6.0, 8.0),
                    _turn("SPEAKER_1", 12.0, 13.0)])
    assert voiced_spans(t) == [(0.0, 3.0), (6.0, 8.0), (12.0, 13.0)]
    assert [(s.start, s.end) for s in find_silences(t, 2.0)] == [(3.0, 6.0), (8.0, 12.0)]


def test_without_turns_silences_come_from_utterances():
    t = _recording([])
    assert voiced_spans(t) is None
    assert [(s.start, s.end) for s in find_silences(t, 3.0)] == [(2.0, 6.0), (8.0, 12.0)]
