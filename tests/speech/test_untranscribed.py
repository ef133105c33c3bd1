"""Speech no word was recognised in stays in the transcript as a timed utterance of its speaker."""

from __future__ import annotations

from sessionlens.domain import Role, Timing, Utterance, Word
from sessionlens.speech.pipeline import INAUDIBLE, LAUGHTER, _with_untranscribed, is_untranscribed
from sessionlens.speech.turns import SpeechTurn


def _utt(uid: str, speaker: str, start: float, end: float, text: str) -> Utterance:
    words = tuple(Word(w, start, end, 0.9) for w in text.split())
    return Utterance(uid, speaker, Role.OTHER, start, end, text, words, 0.9, Timing.SOURCE)


def test_untranscribed_turns_become_inaudible_utterances_in_time_order():
    utts = [_utt("u1", "SPEAKER_1", 0.0, 2.0, "How are you"), _utt("u2", "SPEAKER_1", 5.0, 6.0, "Go on")]
    cues = {"u1": {"rate": 1}, "u2": {"rate": 2}}
    turns = [SpeechTurn(0, 0.0, 2.0, True, False), SpeechTurn(1, 2.5, 4.0, False, False),
             SpeechTurn(1, 4.2, 4.5, False, False),  # too short to show: still talk time through the turns
             SpeechTurn(0, 5.0, 6.0, True, False), SpeechTurn(1, 7.0, 8.5, False, False)]
    events = [{"start": 7.1, "end": 8.0, "label": "possible laughter"}]
    out, new_cues = _with_untranscribed(utts, cues, turns, events)
    assert [(u.id, u.speaker, u.start, u.end, u.text) for u in out] == [
        ("u1", "SPEAKER_1", 0.0, 2.0, "How are you"), ("u2", "SPEAKER_2", 2.5, 4.0, INAUDIBLE),
        ("u3", "SPEAKER_1", 5.0, 6.0, "Go on"), ("u4", "SPEAKER_2", 7.0, 8.5, LAUGHTER)]
    assert new_cues == {"u1": {"rate": 1}, "u3": {"rate": 2}}  # cues follow their utterance
    assert [is_untranscribed(u) for u in out] == [False, True, False, True]


def test_untranscribed_turn_inside_a_worded_utterance_is_not_doubled():
    utts = [_utt("u1", "SPEAKER_1", 0.0, 4.0, "I was saying that")]
    turns = [SpeechTurn(0, 0.0, 1.0, True, False), SpeechTurn(0, 1.0, 3.5, False, False)]
    out, _ = _with_untranscribed(utts, {}, turns, [])
    assert [u.id for u in out] == ["u1"]


def test_a_bracketed_word_that_was_recognised_is_not_untranscribed():
    assert not is_untranscribed(_utt("u1", "SPEAKER_1", 0.0, 1.0, INAUDIBLE))
