"""Emotion heads on the base MiniLM vectors (models/emotions_encoder): hash-checked, blended into the TF-IDF model's
probabilities, and shipped only because their honest dev score beat the TF-IDF model alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sessionlens.analysis import emotion_model
from sessionlens.artifacts import models_dir
from sessionlens.errors import IntegrityError

from ._model_helpers import tampered_copy

HEADS = models_dir("emotions_encoder")
TEXTS = ["Thank you so much, that really helped me.", "I'm terrified it will happen again.",
         "He died in February and I still cannot believe he is gone.", "Okay."]


@pytest.fixture(scope="module")
def pair() -> tuple[emotion_model.EmotionModel, emotion_model.EmotionModel]:
    return emotion_model.load(), emotion_model.load(encoder_dir=HEADS / "absent")


def test_heads_are_small_plain_data_with_a_recorded_hash() -> None:
    files = {p.name for p in HEADS.iterdir()}
    assert {"heads.npz", "manifest.json", "MODEL_CARD.md"} <= files
    assert sum(p.stat().st_size for p in HEADS.iterdir()) < 1024 * 1024


def test_heads_shipped_because_they_beat_the_tfidf_model_on_dev(pair) -> None:
    meta = pair[0].meta["encoder_blend"]
    for name in ("goemotions", "ekman"):
        assert meta[name]["dev_2fold_macro_f1"] > meta[name]["tfidf_alone_2fold"], name


def test_the_blend_reads_the_vectors_and_keeps_the_obvious(pair) -> None:
    blend, tfidf = pair
    b28, b7 = blend.predict(TEXTS)
    t28, _ = tfidf.predict(TEXTS)
    assert b28.shape == (4, 28) and b7.shape == (4, 7)
    assert np.abs(b28 - t28).max() > 0.01  # the MiniLM heads move the probabilities
    top = [emotion_model.LABELS[j] for j in b28.argmax(1)]
    assert top[0] == "gratitude" and top[1] in ("fear", "nervousness") and top[3] == "neutral"
    assert emotion_model.EKMAN[int(b7[2].argmax())] == "sadness"


def test_tampered_heads_are_refused(tmp_path: Path) -> None:
    d = tampered_copy(HEADS, tmp_path / "emotions_encoder", "heads.npz", at=200)
    with pytest.raises(IntegrityError, match="heads.npz"):
        emotion_model.load(encoder_dir=d)


def test_the_setting_decides_whether_the_analysis_encodes() -> None:
    from sessionlens.analysis.encoder import CACHE
    from sessionlens.config import Settings
    from sessionlens.services.analysis import analyze_transcript

    from .affect_helpers import demo_transcript

    t = demo_transcript()
    CACHE.clear()
    off = analyze_transcript(t, Settings({"risk_model": False}, env={}))
    # emotions alone make no sentence vectors (only the coding encoder's (context, utterance) logits; the risk
    # model tier, on by default, encodes client turns and is off here)
    assert CACHE.items and all(key[0] == "coding_encoder" for key in CACHE.items)
    on = analyze_transcript(t, Settings({"emotion_encoder": True, "risk_model": False}, env={}))
    assert sum(key[0] == "base" for key in CACHE.items) >= len(t.utterances) // 2
    probs = [(off.utterance_fields[u.id]["emotions"], on.utterance_fields[u.id]["emotions"]) for u in t.utterances]
    assert any(a != b for a, b in probs)
