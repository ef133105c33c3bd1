"""Speech turns: who spoke when, decided by voice activity and the voice, not by recognised words.

Every speech region the VAD found is cut into 0.1 s frames. Each frame is scored against every
speaker's centroid by the short windows that cover it (``SHORT_WINDOW`` s every ``SHORT_HOP`` s: the
clustering's 1.5 s windows smear a quick exchange) and, where words were recognised, by the phrase
holding it (a short reply speaks for itself). A Viterbi pass over the frames then picks one speaker
per frame, with a switch cost that keeps a turn whole through a breath but lets a 0.3 s "mm" flip
(the smoothing VBx does with its HMM). Runs of one speaker are the turns; speech no word was
recognised in stays a turn of its speaker (``transcribed: false``) and counts in talk time.
Where two voices score almost alike the frame is marked as overlap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .resegment import SCALE, emissions, viterbi, window_scores

FRAME = 0.1  # seconds per frame
# Short windows, switch cost and word pin chosen leave one recording out on the shared AMI clips, the phone
# call and two-person splices of them (benchmarks/speech_turns_study.py, docs/speech.md, issue 14): 0.5 s
# windows beat 0.75 / 1.0 / 1.5 s in every fold; switch 1.2 (of 0.6 / 1.2 / 2.4) and pin 0.25 in 10 of 12.
SHORT_WINDOW = 0.5  # seconds per window scored against the centroids
SHORT_HOP = 0.25  # seconds between windows
SWITCH = 1.2  # cost of changing speaker between adjacent frames (about 0.3 s of clear evidence)
SWITCH_GAP = 0.05  # ... across a silence between regions
OVERLAP_MARGIN = 0.02  # two voices this close in similarity, both clearly present: overlap
OVERLAP_FLOOR = 0.65  # similarity both must reach to call it two voices
WORD_PIN = 0.25  # similarity added to the speaker of a recognised word on the frames it covers


@dataclass(frozen=True, slots=True)
class SpeechTurn:
    speaker: int  # cluster index
    start: float
    end: float
    transcribed: bool
    overlap: bool


def frames(regions: list[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(starts, ends, gap before each frame) for 0.1 s frames covering the regions."""
    starts: list[float] = []
    ends: list[float] = []
    gaps: list[float] = []
    last = None
    for s, e in regions:
        n = max(1, int(round((e - s) / FRAME)))
        step = (e - s) / n
        for i in range(n):
            starts.append(s + i * step)
            ends.append(s + (i + 1) * step)
            gaps.append(0.0 if i else (10.0 if last is None else s - last))
        last = e
    return np.array(starts), np.array(ends), np.array(gaps)


def _fill(scores: np.ndarray) -> np.ndarray:
    """Frames no window or phrase covered take the scores of the nearest covered frame."""
    ok = ~np.isnan(scores[:, 0])
    if not ok.any():
        return np.zeros_like(scores)
    idx = np.where(ok)[0]
    nearest = idx[np.clip(np.searchsorted(idx, np.arange(len(scores))), 0, len(idx) - 1)]
    prev = idx[np.clip(np.searchsorted(idx, np.arange(len(scores))) - 1, 0, len(idx) - 1)]
    pick = np.where(np.abs(prev - np.arange(len(scores))) < np.abs(nearest - np.arange(len(scores))), prev, nearest)
    return np.where(ok[:, None], scores, scores[pick])


def _word_votes(fs: np.ndarray, fe: np.ndarray, word_spans: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """(frames, speakers): share of each frame covered by a word of each speaker."""
    onehot = np.eye(k)[np.asarray(labels, int)]
    votes = np.nan_to_num(window_scores(fs, fe, word_spans, onehot))
    return votes


def speech_turns(regions: list[tuple[float, float]], win_spans: np.ndarray, win_sims: np.ndarray,
                 phrase_spans: np.ndarray, phrase_sims: np.ndarray,
                 word_spans: np.ndarray, word_labels: np.ndarray | None = None) -> list[SpeechTurn]:
    """Turns over all voice activity; ``*_sims`` are (items, speakers) cosine similarities.
    ``word_labels`` (the word-level re-segmentation's speaker per word) pin the frames under each word."""
    if not regions:
        return []
    k = win_sims.shape[1] if win_sims.ndim == 2 and win_sims.size else phrase_sims.shape[1]
    fs, fe, gaps = frames(regions)
    win = window_scores(fs, fe, win_spans.reshape(-1, 2), win_sims.reshape(-1, k))
    phr = window_scores(fs, fe, phrase_spans.reshape(-1, 2), phrase_sims.reshape(-1, k))
    plen = window_scores(fs, fe, phrase_spans.reshape(-1, 2),
                         (phrase_spans[:, 1:2] - phrase_spans[:, 0:1]) if len(phrase_spans) else np.zeros((0, 1)))
    plen = np.nan_to_num(plen[:, 0], nan=6.0)
    mixed = np.where(np.isnan(phr), win, emissions(win, phr, plen) / SCALE)
    sims = _fill(np.where(np.isnan(mixed), phr, mixed))
    if word_labels is not None and len(word_labels):
        sims = sims + WORD_PIN * _word_votes(fs, fe, word_spans.reshape(-1, 2), word_labels, k)
    labels = viterbi(SCALE * sims, gaps, fluent=SWITCH, pause=SWITCH_GAP, boundary=1e-6)
    ordered = np.sort(sims, axis=1)
    overlap = (ordered[:, -1] - ordered[:, -2] < OVERLAP_MARGIN) & (ordered[:, -2] >= OVERLAP_FLOOR) if k > 1 \
        else np.zeros(len(sims), bool)
    return _runs(fs, fe, gaps, labels, overlap, word_spans)


def _runs(fs: np.ndarray, fe: np.ndarray, gaps: np.ndarray, labels: np.ndarray, overlap: np.ndarray,
          word_spans: np.ndarray) -> list[SpeechTurn]:
    out: list[list] = []  # [speaker, start, end, overlap frames, frames]
    for i in range(len(fs)):
        if out and out[-1][0] == labels[i] and gaps[i] == 0.0:
            out[-1][2] = fe[i]
            out[-1][3] += int(overlap[i])
            out[-1][4] += 1
        else:
            out.append([int(labels[i]), fs[i], fe[i], int(overlap[i]), 1])
    ws = word_spans.reshape(-1, 2)
    turns = []
    for spk, s, e, ov, n in out:
        said = bool(len(ws) and np.any((ws[:, 0] < e) & (ws[:, 1] > s)
                                       & (np.minimum(ws[:, 1], e) - np.maximum(ws[:, 0], s) >= 0.05)))
        turns.append(SpeechTurn(spk, round(float(s), 3), round(float(e), 3), said, ov * 2 >= n))
    return turns


def speaker_at(turns: list[SpeechTurn], start: float, end: float) -> int | None:
    """The speaker whose turns cover most of [start, end] (None: no turn touches it)."""
    best: dict[int, float] = {}
    for t in turns:
        ov = min(t.end, end) - max(t.start, start)
        if ov > 0:
            best[t.speaker] = best.get(t.speaker, 0.0) + ov
    return max(best, key=best.__getitem__) if best else None


__all__ = ["FRAME", "SHORT_HOP", "SHORT_WINDOW", "SpeechTurn", "frames", "speaker_at", "speech_turns"]
