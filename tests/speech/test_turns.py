"""Speech turns (voice activity x speaker), a known speaker count, and talk time from turns."""

from __future__ import annotations

import numpy as np
import pytest

from sessionlens.analysis.talk_time import voiced_seconds
from sessionlens.domain import Role, Speaker, Timing, Transcript
from sessionlens.speech.diarize import cluster
from sessionlens.speech.turns import SHORT_HOP, SHORT_WINDOW, frames, speaker_at, speech_turns

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


def _short(voice_at, end: float, lean: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    """Short windows (SHORT_WINDOW every SHORT_HOP) over [0, end]; ``voice_at(mid)`` says whose voice the
    window mostly holds; the other voice scores ``lean`` lower."""
    starts = np.arange(0.0, end - SHORT_WINDOW + 1e-9, SHORT_HOP)
    spans = np.stack([starts, starts + SHORT_WINDOW], axis=1)
    sims = np.array([[0.7, 0.7 - lean] if voice_at((s + e) / 2) == 0 else [0.7 - lean, 0.7] for s, e in spans])
    return spans, sims


def test_a_half_second_reply_seen_by_the_short_windows_is_its_own_turn():
    # "Yes." by the other voice at 2.0-2.5 s: only the short windows centred on it hear that voice
    spans, sims = _short(lambda mid: 1 if 2.0 <= mid <= 2.5 else 0, 4.5)
    turns = speech_turns([(0.0, 4.5)], spans, sims, np.zeros((0, 2)), np.zeros((0, 2)), np.zeros((0, 2)))
    assert [t.speaker for t in turns] == [0, 1, 0]
    assert turns[1].start == pytest.approx(2.0, abs=0.15) and turns[1].end == pytest.approx(2.5, abs=0.15)


def test_a_recognised_short_reply_keeps_its_own_speaker():
    # the windows over the reply barely lean its way; the word's own speaker settles it
    spans, sims = _short(lambda mid: 1 if 2.0 <= mid <= 2.4 else 0, 4.5, lean=0.02)
    words = np.array([(2.0, 2.4)])
    turns = speech_turns([(0.0, 4.5)], spans, sims, np.zeros((0, 2)), np.zeros((0, 2)), words, np.array([1]))
    assert speaker_at(turns, 2.0, 2.4) == 1
    assert speaker_at(turns, 0.0, 1.0) == 0 and speaker_at(turns, 3.5, 4.5) == 0
    without = speech_turns([(0.0, 4.5)], spans, sims, np.zeros((0, 2)), np.zeros((0, 2)), np.zeros((0, 2)))
    assert [t.speaker for t in without] == [0]  # so faint a lean alone is smoothed over


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


def test_words_and_frames_are_placed_by_the_short_windows_when_there_are_any():
    from sessionlens.speech.pipeline import _Collected, _resegmentation_windows

    cents = np.eye(2, 256)
    short = np.eye(2, 256, dtype=np.float16)[::-1]
    acc = _Collected(win_spans=[(0.0, 1.5)], short_spans=[(0.0, 0.5), (0.25, 0.75)], short_embs=[short])
    spans, sims = _resegmentation_windows(acc, np.eye(1, 256), cents)
    assert spans.tolist() == [[0.0, 0.5], [0.25, 0.75]] and sims.tolist() == [[0.0, 1.0], [1.0, 0.0]]
    spans, sims = _resegmentation_windows(_Collected(win_spans=[(0.0, 1.5)]), np.eye(1, 256), cents)
    assert spans.tolist() == [[0.0, 1.5]] and sims.tolist() == [[1.0, 0.0]]
