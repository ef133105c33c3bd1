"""Speech/non-speech per 32 ms frame from more than Silero: a small logistic model (issue 14).

Silero scores faint far-field speech near zero (AMI trn01: mean 0.01). Energy over the noise floor
finds that speech but also every chair and paper rustle. The model weighs both with voicing cues
(band spectral flatness, autocorrelation harmonicity, syllable-rate energy movement) and their
context over about 0.3 s. Features sit on Silero's own frame grid. The pipeline keeps Silero's
regions as they are and adds the detector's regions that touch none of them (:func:`with_missed`). Weights: ``sessionlens/models/speech_detector`` (hash-checked), trained by
``training/train_speech_detector.py``; numpy only at run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..artifacts import ManifestDir, models_dir
from ..errors import IntegrityError
from ..ingest.audio import SAMPLE_RATE
from .vad import FRAME

BAND = (300.0, 3400.0)  # Hz: where speech energy is, below most fan hum and hiss
FLOOR_PERCENTILE = 10  # the quietest tenth of the chunk's frames is its noise floor
CONTEXT = 9  # frames (about 0.3 s) each context feature averages over
MOVE = 15  # frames (about 0.5 s) over which syllable-rate energy movement is measured
PITCH_LAGS = (SAMPLE_RATE // 400, SAMPLE_RATE // 60)  # 40-266 samples: 60-400 Hz voices
LONG = 31  # frames (about 1 s): the slower context a turn gives
SUB_BANDS = ((100.0, 300.0), (300.0, 1000.0), (1000.0, 2000.0), (2000.0, 4000.0))
NAMES = ("silero", "silero_ctx", "silero_max", "silero_long", "snr", "snr_ctx", "snr_long", "flatness",
         "flatness_ctx", "harmonic", "harmonic_ctx", "harmonic_max", "movement", "low_high",
         "snr_100_300", "snr_300_1k", "snr_1k_2k", "snr_2k_4k")


@dataclass(frozen=True, slots=True)
class Detector:
    """Standardisation and logistic weights over :data:`NAMES`."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def probabilities(self, mono: np.ndarray, silero: np.ndarray) -> np.ndarray:
        """P(speech) per 32 ms frame of ``mono`` (``silero``: Silero's probability per frame)."""
        x = (features(mono, silero) - self.mean) / self.scale
        return np.asarray(1.0 / (1.0 + np.exp(-(x @ self.coef + self.intercept))), np.float32)


def _frames(mono: np.ndarray, n: int) -> np.ndarray:
    pad = np.zeros(n * FRAME, np.float32)
    pad[: min(len(mono), n * FRAME)] = mono[: n * FRAME]
    return pad.reshape(n, FRAME).astype(np.float64)


def _smooth(x: np.ndarray, width: int) -> np.ndarray:
    return np.convolve(np.pad(x, width // 2, mode="edge"), np.ones(width) / width, mode="valid")[: len(x)]


def _rolling_max(x: np.ndarray, width: int) -> np.ndarray:
    padded = np.pad(x, width // 2, mode="edge")
    return np.lib.stride_tricks.sliding_window_view(padded, width).max(axis=1)[: len(x)]


def _rolling_std(x: np.ndarray, width: int) -> np.ndarray:
    padded = np.pad(x, width // 2, mode="edge")
    return np.lib.stride_tricks.sliding_window_view(padded, width).std(axis=1)[: len(x)]


def _harmonicity(frames: np.ndarray) -> np.ndarray:
    """Peak normalised autocorrelation at pitch lags: near 1 for a voiced vowel, low for noise."""
    centred = frames - frames.mean(axis=1, keepdims=True)
    spec = np.fft.rfft(centred, 2 * FRAME, axis=1)
    ac = np.fft.irfft(np.abs(spec) ** 2, axis=1)[:, : FRAME]
    lo, hi = PITCH_LAGS
    return ac[:, lo:hi].max(axis=1) / (ac[:, 0] + 1e-12)


def features(mono: np.ndarray, silero: np.ndarray) -> np.ndarray:
    """(frames, len(NAMES)) features; one row per Silero frame."""
    n = len(silero)
    if n == 0:
        return np.zeros((0, len(NAMES)))
    frames = _frames(np.asarray(mono, np.float32), n)
    power = np.abs(np.fft.rfft(frames * np.hanning(FRAME), axis=1)) ** 2 + 1e-12
    freqs = np.fft.rfftfreq(FRAME, 1 / SAMPLE_RATE)
    band = power[:, (freqs >= BAND[0]) & (freqs <= BAND[1])]
    band_db = 10 * np.log10(band.sum(axis=1))
    snr = band_db - np.percentile(band_db, FLOOR_PERCENTILE)
    flat = np.exp(np.mean(np.log(band), axis=1)) / np.mean(band, axis=1)
    low = power[:, (freqs >= 100) & (freqs < 1000)].sum(axis=1)
    high = power[:, freqs >= 1000].sum(axis=1)
    harm = _harmonicity(frames)
    p = np.asarray(silero, np.float64)
    cols = [p, _smooth(p, CONTEXT), _rolling_max(p, CONTEXT), _smooth(p, LONG), snr, _smooth(snr, CONTEXT),
            _smooth(snr, LONG), flat, _smooth(flat, CONTEXT), harm, _smooth(harm, CONTEXT),
            _rolling_max(harm, CONTEXT), _rolling_std(band_db, MOVE), 10 * np.log10(low / high)]
    for lo, hi in SUB_BANDS:
        sub_db = 10 * np.log10(power[:, (freqs >= lo) & (freqs < hi)].sum(axis=1))
        cols.append(_smooth(sub_db - np.percentile(sub_db, FLOOR_PERCENTILE), CONTEXT))
    return np.stack(cols, axis=1)


def load(directory: Path | None = None) -> Detector:
    """The shipped detector, refused (IntegrityError) if its weights differ from the manifest's hash."""
    artifact = ManifestDir.open(directory or models_dir("speech_detector"), "speech detector")
    if tuple(artifact.manifest.get("features", ())) != NAMES:
        raise IntegrityError("speech detector was trained on other features than this code computes")
    import io

    with np.load(io.BytesIO(artifact.read("weights.npz")), allow_pickle=False) as w:
        return Detector(w["mean"], w["scale"], w["coef"], float(w["intercept"]))


def with_missed(base: list[tuple[float, float]], found: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """``base`` regions plus the ``found`` ones that touch none of them (speech the base detector missed
    outright); a base region is never widened, so what Silero heard stays exactly as it was."""
    added = [(s, e) for s, e in found if not any(s < be and e > bs for bs, be in base)]
    return sorted(base + added)


@lru_cache(maxsize=1)
def shipped() -> Detector:
    return load()


__all__ = ["NAMES", "Detector", "features", "load", "shipped", "with_missed"]
