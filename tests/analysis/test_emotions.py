"""Emotions: the packaged model (integrity, shape, names), per-utterance fields, the arc per role, robustness."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessionlens.analysis import emotion_model
from sessionlens.analysis.emotions import (
    arc_findings,
    looks_english,
    score,
    session_emotions,
    utterance_fields,
)
from sessionlens.errors import IntegrityError

from .affect_helpers import C, T, demo_transcript, session

GOEMOTIONS_NAMES = (
    "admiration amusement anger annoyance approval caring confusion curiosity desire disappointment disapproval "
    "disgust embarrassment excitement fear gratitude grief joy love nervousness optimism pride realization relief "
    "remorse sadness surprise neutral"
).split()


@pytest.fixture(scope="module")
def model() -> emotion_model.EmotionModel:
    return emotion_model.default_model()


def test_labels_are_the_28_goemotions_names() -> None:
    assert list(emotion_model.LABELS) == GOEMOTIONS_NAMES


def test_artifact_is_small_plain_data_with_hashes() -> None:
    d = emotion_model.model_dir()
    total = sum(p.stat().st_size for p in d.iterdir())
    assert total <= 50 * 1024 * 1024
    assert {p.suffix for p in d.iterdir()} <= {".json", ".npz", ".md"}
    assert (d / "MODEL_CARD.md").exists()


def test_tampered_model_raises_integrity_error(tmp_path: Path) -> None:
    d = tmp_path / "emotions"
    shutil.copytree(emotion_model.model_dir(), d)
    with (d / "weights.npz").open("r+b") as fh:
        fh.seek(100)
        b = fh.read(1)
        fh.seek(100)
        fh.write(bytes([b[0] ^ 0xFF]))
    with pytest.raises(IntegrityError) as err:
        emotion_model.load(d)
    assert "weights.npz" in str(err.value)


def test_missing_manifest_raises_integrity_error(tmp_path: Path) -> None:
    d = tmp_path / "emotions"
    shutil.copytree(emotion_model.model_dir(), d)
    (d / "manifest.json").unlink()
    with pytest.raises(IntegrityError):
        emotion_model.load(d)


def test_obvious_sentences(model) -> None:
    p28, p7 = model.predict(
        [
            "Thank you so much, that really helped!",
            "I'm so scared about tomorrow.",
            "He died last week and I miss him terribly.",
        ]
    )
    top = [emotion_model.LABELS[i] for i in p28.argmax(axis=1)]
    assert top[0] == "gratitude"
    assert p7[1, emotion_model.EKMAN.index("fear")] > 0.3
    assert p7[2, emotion_model.EKMAN.index("sadness")] > 0.3


def test_utterance_fields_have_all_28_probabilities(model) -> None:
    t = session((T, "How are you?"), (C, "Honestly I'm furious with him."))
    fields = utterance_fields(score(t, model))
    assert set(fields["u2"]["emotions"]) == set(GOEMOTIONS_NAMES)
    assert all(0.0 <= v <= 1.0 for v in fields["u2"]["emotions"].values())


def test_arc_per_role_with_intensity(model) -> None:
    t = session(
        (C, "I'm fine, it's just work."),
        (T, "Tell me more."),
        (C, "Actually I'm terrified I'll lose it."),
        (C, "And so sad about my dad."),
        (C, "But I'm grateful for my sister, she's amazing."),
    )
    metrics = session_emotions(t, score(t, model))
    client = metrics["roles"]["client"]
    assert client["utterances_scored"] == 4 and 0 <= client["mean_intensity"] <= 1
    assert len(client["segments"]) == 5
    findings = arc_findings(metrics, t)
    assert any(f.kind == "emotion_arc" and f.label == "client" for f in findings)


def test_non_english_and_empty_are_low_confidence(model) -> None:
    assert not looks_english("Je ne sais pas quoi dire, c'est très difficile.")
    assert looks_english("I don't know what to say.")
    t = session((C, "Je ne sais pas quoi dire, c'est très difficile."), (C, "死にたくない"), (C, ""))
    m = session_emotions(t, score(t, model))
    assert m["low_confidence"] is True


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([T, C]), st.text(max_size=300)), max_size=6))
def test_any_session_never_crashes(turns) -> None:
    t = session(*turns)
    m = session_emotions(t, score(t, emotion_model.default_model()))
    arc_findings(m, t)


def test_very_long_utterance(model) -> None:
    t = session((C, "so tired " * 30000))
    assert len(score(t, model)) == 1


def test_demo_arc_and_grief(model) -> None:
    t = demo_transcript()
    scored = {e.utterance.id: e for e in score(t, model)}
    assert scored["u86"].ekman["sadness"] > scored["u10"].ekman["sadness"]
    assert session_emotions(t, list(scored.values()))["low_confidence"] is False
