"""The frame-level speech detector: hash-checked weights, speech found in a voice, none in noise."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from sessionlens.artifacts import models_dir
from sessionlens.errors import IntegrityError
from sessionlens.speech import detector
from sessionlens.speech.pipeline import DETECTOR_REGIONS
from sessionlens.speech.vad import FRAME_SECONDS, SileroVad, speech_regions

from .conftest import RATE, TURNS


def _probs(mono: np.ndarray) -> np.ndarray:
    vad = SileroVad()
    silero = np.concatenate([vad.feed(mono), vad.flush()])
    return detector.shipped().probabilities(mono, silero)


def _voiced(seconds: float, rng: np.random.Generator) -> np.ndarray:
    """A 120-180 Hz harmonic voice in syllables (0.2 s on, 0.1 s off) over faint noise."""
    t = np.arange(int(seconds * RATE)) / RATE
    f0 = 150 + 30 * np.sin(2 * np.pi * 0.7 * t)
    phase = 2 * np.pi * np.cumsum(f0) / RATE
    voice = sum(np.sin(k * phase) / k for k in range(1, 20))
    syllables = ((t % 0.3) < 0.2).astype(float)
    return (0.05 * voice * syllables + 0.002 * rng.standard_normal(len(t))).astype(np.float32)


def test_weights_that_differ_from_the_manifest_are_refused(tmp_path):
    shutil.copytree(models_dir("speech_detector"), tmp_path / "d")
    weights = tmp_path / "d" / "weights.npz"
    data = bytearray(weights.read_bytes())
    data[-10] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(IntegrityError, match="SHA-256"):
        detector.load(tmp_path / "d")
    assert detector.load(models_dir("speech_detector")).coef.shape == (len(detector.NAMES),)


def test_synthetic_voice_is_speech_and_noise_is_not():
    rng = np.random.default_rng(1)
    quiet = (0.002 * rng.standard_normal(3 * RATE)).astype(np.float32)
    signal = np.concatenate([quiet, _voiced(4.0, rng), quiet])
    p = _probs(signal)  # Silero itself scores this buzz below 0.1 after its first syllables
    t = np.arange(len(p)) * FRAME_SECONDS
    assert np.median(p[(t > 3.2) & (t < 6.8)]) > 0.6
    assert p[(t < 2.8) | (t > 7.5)].max() < 0.1
    noise = (0.05 * rng.standard_normal(10 * RATE)).astype(np.float32)  # as loud as the voice, no pitch
    assert speech_regions(_probs(noise), DETECTOR_REGIONS) == []


def test_recorded_dialogue_turns_are_found(dialogue_audio):
    clip = dialogue_audio[: 15 * RATE]
    regions = speech_regions(_probs(clip), DETECTOR_REGIONS, limit=15.0)
    for _, start, end in [turn for turn in TURNS if turn[2] <= 15.0]:
        found = sum(max(0.0, min(e, end) - max(s, start)) for s, e in regions)
        assert found >= 0.9 * (end - start)
    assert not any(s > 4.9 and e < 5.2 for s, e in regions)  # the pause between two turns stays silence


def test_only_speech_silero_missed_outright_is_added():
    base = [(1.0, 2.0), (5.0, 6.0)]
    found = [(0.5, 1.2), (3.0, 4.0), (5.5, 7.0), (8.0, 9.0)]
    assert detector.with_missed(base, found) == [(1.0, 2.0), (3.0, 4.0), (5.0, 6.0), (8.0, 9.0)]
