"""Paralinguistic cues: pitch (Praat via parselmouth), energy, speech rate, pauses, fillers,
and non-speech vocal sounds (possible laughter or sighs).

Per chunk, pitch and energy tracks are reduced to sufficient statistics per word, so the audio
can be dropped before utterances exist; per utterance they are combined into cues. Pitch is
summarised in semitones (re 100 Hz) so that variability is comparable between voices.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..domain import Word
from ..ingest.audio import SAMPLE_RATE
from ..payloads.speech_audio import UtteranceCues, VocalEvent

STEP = 0.01  # seconds per pitch / energy frame
PAUSE_MIN = 0.3  # a gap between words at least this long is a pause
LONG_PAUSE = 2.0  # shown in the transcript as a visible pause marker
FILLERS = frozenset({"um", "umm", "uh", "uhh", "uh-huh", "hmm", "hm", "mm", "mmm", "mm-hmm", "mhm", "er", "erm",
                     "ah", "eh", "huh"})
_WORD = re.compile(r"[^\w'-]")


@dataclass(frozen=True, slots=True)
class Tracks:
    offset: float  # seconds of frame 0 in the session
    f0: np.ndarray  # Hz, 0 where unvoiced
    energy_db: np.ndarray  # dBFS
    pitch_error: str = ""  # the exception type when pitch could not be measured (f0 then reads all unvoiced)


@dataclass(frozen=True, slots=True)
class WordStats:
    """Sufficient statistics of one word's frames."""

    voiced: int = 0
    st_sum: float = 0.0
    st_sq: float = 0.0
    energy_sum: float = 0.0
    frames: int = 0


def tracks(mono: np.ndarray, offset: float) -> Tracks:
    """Pitch (autocorrelation, 75-500 Hz) and energy at 10 ms steps for a chunk of audio."""
    n = len(mono) // int(STEP * SAMPLE_RATE)
    if n < 4:
        return Tracks(offset, np.zeros(n), np.full(n, -100.0))
    frames = mono[: n * int(STEP * SAMPLE_RATE)].reshape(n, -1).astype(np.float64)
    energy = 10 * np.log10(np.mean(frames ** 2, axis=1) + 1e-10)
    f0, error = np.zeros(n), ""
    try:
        import parselmouth

        pitch = parselmouth.Sound(mono.astype(np.float64), SAMPLE_RATE).to_pitch_ac(
            time_step=STEP, pitch_floor=75.0, pitch_ceiling=500.0)
        values = pitch.selected_array["frequency"]
        idx = np.clip(np.round((pitch.xs() - STEP / 2) / STEP).astype(int), 0, n - 1)
        f0[idx] = values
    except Exception as exc:  # noqa: BLE001 - pitch is a cue, never a reason to fail a transcript: say so instead
        error = type(exc).__name__
    return Tracks(offset, f0, energy, error)


def _span(t: Tracks, start: float, end: float) -> slice:
    a = int(max(0, (start - t.offset) / STEP))
    b = int(max(a + 1, (end - t.offset) / STEP))
    return slice(a, min(b, len(t.f0)))


def word_stats(t: Tracks, start: float, end: float) -> WordStats:
    sl = _span(t, start, end)
    f0 = t.f0[sl]
    voiced = f0[f0 > 0]
    st = 12 * np.log2(voiced / 100.0) if len(voiced) else voiced
    e = t.energy_db[sl]
    return WordStats(len(voiced), float(st.sum()), float((st ** 2).sum()), float(e.sum()), len(e))


def is_filler(text: str) -> bool:
    return _WORD.sub("", text.lower()) in FILLERS


def _syllables(text: str) -> int:
    groups = re.findall(r"[aeiouy]+", text.lower())
    return max(1, len(groups) - (1 if text.lower().endswith("e") and len(groups) > 1 else 0))


def utterance_cues(words: Sequence[Word], stats: Sequence[WordStats], pause_before: float | None) -> UtteranceCues:
    """Speech rate, pauses, pitch level/variability, energy and fillers for one utterance."""
    gaps = [b.start - a.end for a, b in zip(words, words[1:]) if a.end is not None and b.start is not None]
    pauses = [g for g in gaps if g >= PAUSE_MIN]
    start, end = words[0].start or 0.0, words[-1].end or 0.0
    speaking = max(1e-3, (end - start) - sum(pauses))
    voiced = sum(s.voiced for s in stats)
    cues: UtteranceCues = {
        "speech_rate_wpm": round(60 * len(words) / speaking, 1),
        "syllables_per_second": round(sum(_syllables(w.text) for w in words) / speaking, 2),
        "pause_before": None if pause_before is None else round(pause_before, 2),
        "pauses_within": len(pauses),
        "pause_within_seconds": round(sum(pauses), 2),
        "longest_pause_within": round(max(pauses), 2) if pauses else 0.0,
        "long_pauses": [{"after_word": i, "seconds": round(g, 2)} for i, g in enumerate(gaps) if g >= LONG_PAUSE],
        "fillers": [w.text for w in words if is_filler(w.text)],
        "f0_mean_hz": None,
        "f0_sd_semitones": None,
        "energy_db": None,
        "voiced_share": None,
    }
    frames = sum(s.frames for s in stats)
    if frames:
        cues["energy_db"] = round(sum(s.energy_sum for s in stats) / frames, 1)
        cues["voiced_share"] = round(voiced / frames, 2)
    if voiced >= 5:
        mean = sum(s.st_sum for s in stats) / voiced
        var = max(0.0, sum(s.st_sq for s in stats) / voiced - mean ** 2)
        cues["f0_mean_hz"] = round(100 * 2 ** (mean / 12), 1)
        cues["f0_sd_semitones"] = round(math.sqrt(var), 2)
    return cues


def vocal_event(t: Tracks, start: float, end: float) -> VocalEvent | None:
    """Label a voiced stretch with no recognised words: possible laughter, sigh or other sound.

    Heuristics, reported with low confidence: laughter is voiced in bursts (energy pulsing at
    3-8 Hz, high pitch); a sigh is mostly unvoiced breath, long, with falling energy.
    """
    sl = _span(t, start, end)
    f0, e = t.f0[sl], t.energy_db[sl]
    if len(e) < 20 or e.max() < -45:
        return None
    voiced = float(np.mean(f0 > 0))
    loud = e > e.max() - 12
    pulses = int(np.sum(np.diff(loud.astype(int)) == 1))
    rate = pulses / max(1e-3, end - start)
    label, conf = "vocal sound", 0.3
    if voiced >= 0.25 and 2.5 <= rate <= 9 and pulses >= 3:
        label, conf = "possible laughter", 0.45
    elif voiced < 0.25 and 0.4 <= end - start <= 2.5 and np.polyfit(np.arange(len(e)), e, 1)[0] < 0:
        label, conf = "possible sigh", 0.35
    return {"start": round(start, 2), "end": round(end, 2), "label": label, "confidence": conf,
            "voiced_share": round(voiced, 2), "source": "prosody.vocal_event.v1"}


__all__ = ["FILLERS", "LONG_PAUSE", "Tracks", "WordStats", "is_filler", "tracks", "utterance_cues",
           "vocal_event", "word_stats"]
