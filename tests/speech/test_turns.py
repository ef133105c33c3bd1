"""Speech turns (voice activity x speaker), a known speaker count, and talk time from turns."""

from __future__ import annotations

import numpy as np
import pytest

from sessionlens.analysis.talk_time import voiced_seconds
from sessionlens.domain import Role, Speaker, Timing, Transcript
from sessionlens.speech.diarize import cluster
from sessionlens.speech.turns import frames, speaker_at, speech_turns

def _windows(spans: list[tuple[float, float, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Windows with similarities as real voices give them: own voice 0.75, the other 0.55."""
    return np.array([(s, e) for s, e, _ in spans], float), np.array([[0.75, 0.55] if v == 0 else [0.55, 0.75]
                                                                      for *_, v in spans])


def test_frames_tile_every_region_and_mark_the_gaps():
    fs, fe, gaps = frames([(0.0, 1.0), (1.5, 1.75)])
    assert fs[0] == 0.0 and fe[-1] == pytest.approx(1.75)
    assert np.all(fe[:-1] <= fs[1:] + 1e-9)
    assert gaps[10] == pytest.approx(0.5) and gaps[1] == 0.0 and gaps[0] == 10.0


def test_untranscribed_speech_is_a_turn_of_its_speaker():
    regions = [(0.0, 4.0), (5.0, 8.0)]
    spans, sims = _windows([(0.0, 1.5, 0), (1.5, 3.0, 0), (2.5, 4.0, 0), (5.0, 6.5, 1), (6.5, 8.0, 1)])
    words = np.array([(0.2, 0.6), (0.7, 1.0)])  # only the first voice said recognisable words
    turns = speech_turns(regions, spans, sims, np.zeros((0, 2)), np.zeros((0, 2)), words, np.array([0, 0]))
    assert [(t.speaker, t.start, t.end, t.transcribed) for t in turns] == [(0, 0.0, 4.0, True),
                                                                          (1, 5.0, 8.0, False)]
    assert not any(t.overlap for t in turns)


def test_a_change_of_voice_inside_one_region_starts_a_turn_and_a_blip_does_not():
    spans, sims = _windows([(0.0, 1.5, 0), (1.5, 1.7, 0), (1.7, 3.0, 0), (3.0, 4.5, 1), (4.5, 6.0, 1)])
    sims[1] = [0.6, 0.7]  # a 0.2 s stretch leaning the wrong way is smoothed over
    turns = speech_turns([(0.0, 6.0)], spans, sims, np.zeros((0, 2)), np.zeros((0, 2)), np.zeros((0, 2)))
    assert [t.speaker for t in turns] == [0, 1]
    assert turns[0].end == pytest.approx(3.0, abs=0.11)


def test_a_recognised_short_reply_keeps_its_own_speaker():
    spans, sims = _windows([(0.0, 1.5, 0), (1.5, 3.0, 0), (3.0, 4.5, 0)])
    words = np.array([(2.0, 2.4)])  # "yes" by the other voice, inside the first voice's windows
    turns = speech_turns([(0.0, 4.5)], spans, sims, np.zeros((0, 2)), np.zeros((0, 2)), words, np.array([1]))
    assert speaker_at(turns, 2.0, 2.4) == 1
    assert speaker_at(turns, 0.0, 1.0) == 0 and speaker_at(turns, 3.5, 4.5) == 0


def test_two_equally_likely_voices_are_marked_as_overlap():
    spans = np.array([(0.0, 2.0)])
    sims = np.array([[0.8, 0.79]])
    turns = speech_turns([(0.0, 2.0)], spans, sims, np.zeros((0, 2)), np.zeros((0, 2)), np.zeros((0, 2)))
    assert turns and all(t.overlap for t in turns)


@pytest.mark.parametrize("n", [2, 3, 4])
def test_a_known_speaker_count_is_honoured_exactly(n):
    rng = np.random.default_rng(n)
    # One dominant voice with a few odd windows and n-1 quieter voices: average linkage alone found 1.
    centres = rng.normal(size=(n, 64))
    sizes = [200] + [15] * (n - 1)
    embs = np.concatenate([c + 0.6 * rng.normal(size=(k, 64)) for c, k in zip(centres, sizes)])
    embs /= np.linalg.norm(embs, axis=1, keepdims=True)
    got = cluster(embs.astype(np.float32), n)
    assert got.count == n and len(np.unique(got.labels)) == n


def _transcript(turns: list[dict]) -> Transcript:
    return Transcript((), (Speaker("SPEAKER_1", "Speaker 1", Role.THERAPIST), Speaker("SPEAKER_2", "Speaker 2",
                                                                                     Role.CLIENT)),
                      source_format="audio", timing=Timing.SOURCE, metadata={"speech_turns": turns})


def test_talk_time_counts_untranscribed_turns_by_speaker_and_role():
    t = _transcript([{"speaker": "SPEAKER_1", "start": 0.0, "end": 2.0, "transcribed": True, "overlap": False},
                     {"speaker": "SPEAKER_2", "start": 2.5, "end": 3.0, "transcribed": False, "overlap": False},
                     {"speaker": "SPEAKER_2", "start": 3.0, "end": 4.5, "transcribed": True, "overlap": False}])
    assert voiced_seconds(t) == {"SPEAKER_1": 2.0, "SPEAKER_2": 2.0}
    assert voiced_seconds(t, "role") == {"therapist": 2.0, "client": 2.0}
    assert voiced_seconds(Transcript((), (), metadata={})) is None
