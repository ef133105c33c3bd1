"""A pitch measurement that fails is reported, not turned silently into flat (zero) pitch."""

from __future__ import annotations

import sys

import numpy as np

from sessionlens.speech import prosody


def test_failed_pitch_names_its_cause(monkeypatch) -> None:
    tone = np.sin(2 * np.pi * 150 * np.arange(16000) / 16000).astype(np.float32)
    assert prosody.tracks(tone, 0.0).pitch_error == ""
    assert (prosody.tracks(tone, 0.0).f0 > 0).any()
    monkeypatch.setitem(sys.modules, "parselmouth", None)  # as on an install without praat-parselmouth
    failed = prosody.tracks(tone, 0.0)
    assert failed.pitch_error == "ModuleNotFoundError" and not failed.f0.any()
