"""Smoke test on real conversational audio from ../shared/data (skipped where it is absent)."""

from __future__ import annotations

import pytest

from sessionlens.speech.pipeline import transcribe

from ..conftest import require_shared
from .conftest import word_error_rate


@pytest.mark.slow
def test_phone_call_wer_and_speakers(asr):
    folder = require_shared("audio_ami", "phone_call")
    stm = (folder / "sample.stm").read_text(encoding="utf-8").splitlines()
    reference = " ".join(line.split(" ", 5)[5] for line in stm)
    t = transcribe(folder / "sample.wav", asr=asr)
    assert word_error_rate(reference, " ".join(u.text for u in t.utterances)) < 0.25
    assert len(t.speakers) == 2
    assert t.utterances[0].start == pytest.approx(6.68, abs=0.6)  # nothing invented in the 6.7 s of silence
