"""The packaged GoEmotions classifier: TF-IDF word + character n-grams and linear one-vs-rest heads.

The artifact in ``sessionlens/models/emotions/`` is plain data (JSON vocabularies, an ``.npz`` of
weights) — no pickle — and every file's SHA-256 is recorded in ``manifest.json`` and checked at load,
so a tampered or truncated model raises :class:`IntegrityError` instead of producing numbers.
The same ``Featurizer`` code runs in ``training/train_emotions.py``, so training and inference agree.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from ..artifacts import ManifestDir, models_dir, write_manifest

# The 28 names exactly as in the GoEmotions data set (27 emotions + neutral), in its label order.
LABELS: tuple[str, ...] = (
    "admiration",
    "amusement",
    "anger",
    "annoyance",
    "approval",
    "caring",
    "confusion",
    "curiosity",
    "desire",
    "disappointment",
    "disapproval",
    "disgust",
    "embarrassment",
    "excitement",
    "fear",
    "gratitude",
    "grief",
    "joy",
    "love",
    "nervousness",
    "optimism",
    "pride",
    "realization",
    "relief",
    "remorse",
    "sadness",
    "surprise",
    "neutral",
)
EKMAN: tuple[str, ...] = ("anger", "disgust", "fear", "joy", "neutral", "sadness", "surprise")
MAX_CHARS = 2000  # long monologues are cut for features: cost stays bounded, the opening carries most affect
_SPACE = re.compile(r"\s+")
MODEL_FILES = ("vocab.json", "weights.npz")


def clean(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return _SPACE.sub(" ", text).strip()[:MAX_CHARS]


def word_vectorizer(
    vocabulary: Sequence[str] | None = None, max_features: int | None = None
) -> TfidfVectorizer:
    return TfidfVectorizer(
        lowercase=True,
        ngram_range=(1, 2),
        min_df=2,
        max_features=max_features,
        sublinear_tf=True,
        token_pattern=r"(?u)\b\w[\w']*\b|[!?]",
        vocabulary=vocabulary,
        dtype=np.float32,
    )


def char_vectorizer(
    vocabulary: Sequence[str] | None = None, max_features: int | None = None
) -> TfidfVectorizer:
    return TfidfVectorizer(
        lowercase=True,
        analyzer="char_wb",
        ngram_range=(2, 5),
        min_df=3,
        max_features=max_features,
        sublinear_tf=True,
        vocabulary=vocabulary,
        dtype=np.float32,
    )


@dataclass
class Featurizer:
    """Word (1–2) and char_wb (2–5) TF-IDF blocks, stacked side by side."""

    word: TfidfVectorizer
    char: TfidfVectorizer

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        cleaned = [clean(t) for t in texts]
        return sp.hstack([self.word.transform(cleaned), self.char.transform(cleaned)], format="csr")

    def to_json(self) -> dict[str, Any]:  # raw JSON boundary: written as the artifact's vocab.json
        return {
            "word": {"vocab": _vocab_list(self.word), "idf": self.word.idf_.tolist()},
            "char": {"vocab": _vocab_list(self.char), "idf": self.char.idf_.tolist()},
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Featurizer:  # raw JSON boundary: the artifact's vocab.json
        word = word_vectorizer(vocabulary=d["word"]["vocab"])
        word.idf_ = np.asarray(d["word"]["idf"], dtype=np.float32)
        char = char_vectorizer(vocabulary=d["char"]["vocab"])
        char.idf_ = np.asarray(d["char"]["idf"], dtype=np.float32)
        return cls(word, char)


def _vocab_list(vec: TfidfVectorizer) -> list[str]:
    return [str(t) for t in vec.get_feature_names_out()]


@dataclass(frozen=True)
class Head:
    """One-vs-rest linear head: probabilities via the logistic function; per-label decision thresholds."""

    labels: tuple[str, ...]
    coef: np.ndarray  # (n_features, n_labels)
    intercept: np.ndarray  # (n_labels,)
    thresholds: np.ndarray  # (n_labels,), tuned on a split of TRAIN only

    def proba(self, x: sp.csr_matrix) -> np.ndarray:
        z = np.asarray(x @ self.coef, dtype=np.float64) + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def decide(self, p: np.ndarray) -> np.ndarray:
        """Labels at or above their threshold; the arg-max label where none reaches it (never empty)."""
        out = p >= self.thresholds
        none = ~out.any(axis=1)
        out[none, np.argmax(p[none] / self.thresholds, axis=1)] = True
        return out


@dataclass(frozen=True)
class EncoderHead:
    """Logistic heads on the base MiniLM sentence vector, mixed into the TF-IDF head's probabilities."""

    coef: np.ndarray  # (384, n_labels)
    intercept: np.ndarray
    weight: float  # encoder share of the blended probabilities (tuned on GoEmotions dev)

    def mix(self, vectors: np.ndarray, p: np.ndarray) -> np.ndarray:
        q = 1.0 / (1.0 + np.exp(-np.clip(vectors @ self.coef + self.intercept, -30, 30)))
        return self.weight * q + (1 - self.weight) * p


@dataclass(frozen=True)
class EmotionModel:
    featurizer: Featurizer
    goemotions: Head
    ekman: Head
    meta: dict[str, Any]  # raw JSON boundary: the artifact manifest as shipped (version, scores, labels)
    encoder: dict[str, EncoderHead] | None = None  # "goemotions"/"ekman" -> heads on the MiniLM vector

    def predict(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(28-label probabilities, Ekman probabilities), one row per text."""
        if not texts:
            return np.zeros((0, len(LABELS))), np.zeros((0, len(EKMAN)))
        x = self.featurizer.transform(texts)
        p28, p7 = self.goemotions.proba(x), self.ekman.proba(x)
        if self.encoder:
            from .encoder import encode  # the same cached vectors themes use: each utterance encoded once

            v = encode(list(texts)).astype(np.float64)
            p28, p7 = self.encoder["goemotions"].mix(v, p28), self.encoder["ekman"].mix(v, p7)
        return p28, p7


@dataclass(frozen=True)
class _Blend:
    """The MiniLM-vector heads: name -> (head, blended thresholds), and their manifest (files left out)."""

    heads: dict[str, tuple[EncoderHead, np.ndarray]]
    meta: dict[str, object]


def model_dir() -> Path:
    return models_dir("emotions")


def load(directory: Path | None = None, encoder_dir: Path | None = None, *, encoder: bool = True) -> EmotionModel:
    """The TF-IDF model, blended with the MiniLM-vector heads where they are installed and ``encoder`` is on."""
    directory = directory or model_dir()
    artifact = ManifestDir.open(directory, "emotion model")
    files = artifact.read_all(MODEL_FILES)  # verified bytes: nothing is re-read after the check
    vocab, encoder_on = json.loads(files["vocab.json"]), encoder
    with np.load(io.BytesIO(files["weights.npz"]), allow_pickle=False) as w:
        heads = {
            name: Head(
                labels,
                w[f"{name}_coef"].astype(np.float32),
                w[f"{name}_intercept"].astype(np.float64),
                w[f"{name}_thresholds"].astype(np.float64),
            )
            for name, labels in (("goemotions", LABELS), ("ekman", EKMAN))
        }
    blend = _encoder_heads(encoder_dir or models_dir("emotions_encoder")) if encoder_on else None
    meta = dict(artifact.manifest)
    if blend:
        heads = {name: replace(h, thresholds=blend.heads[name][1]) for name, h in heads.items()}
        meta["encoder_blend"] = blend.meta
    enc = {name: blend.heads[name][0] for name in heads} if blend else None
    return EmotionModel(Featurizer.from_json(vocab), heads["goemotions"], heads["ekman"], meta, enc)


def _encoder_heads(directory: Path) -> _Blend | None:
    """The encoder heads and their manifest; None where this install has no such folder."""
    if not (directory / "manifest.json").exists():
        return None
    artifact = ManifestDir.open(directory, "emotion encoder heads")
    with np.load(io.BytesIO(artifact.read("heads.npz")), allow_pickle=False) as w:
        heads = {
            name: (EncoderHead(w[f"{name}_coef"].astype(np.float64), w[f"{name}_intercept"].astype(np.float64),
                               float(w[f"{name}_weight"])), w[f"{name}_thresholds"].astype(np.float64))
            for name in ("goemotions", "ekman")
        }
    return _Blend(heads, {k: v for k, v in artifact.manifest.items() if k not in ("files", "sha256")})


@lru_cache(maxsize=2)
def default_model(encoder: bool = False) -> EmotionModel:
    """The shipped model; ``encoder``: blended with the MiniLM-vector heads (the ``emotion_encoder`` setting: every
    utterance is then encoded, about 11 CPU-seconds for a 60-minute session on this machine)."""
    return load(encoder=encoder)


def save(model_dir_: Path, featurizer: Featurizer, heads: dict[str, Head], meta: dict[str, Any]) -> None:  # meta: raw JSON for the manifest
    """Write vocab.json, weights.npz (float16 weights) and manifest.json with SHA-256 per file."""
    model_dir_.mkdir(parents=True, exist_ok=True)
    (model_dir_ / "vocab.json").write_text(
        json.dumps(featurizer.to_json(), ensure_ascii=False), encoding="utf-8"
    )
    arrays: dict[str, np.ndarray] = {}
    for name, head in heads.items():
        arrays[f"{name}_coef"] = head.coef.astype(np.float16)
        arrays[f"{name}_intercept"] = head.intercept.astype(np.float32)
        arrays[f"{name}_thresholds"] = head.thresholds.astype(np.float32)
    np.savez_compressed(model_dir_ / "weights.npz", **arrays)  # type: ignore[arg-type]  # numpy's stub reads **arrays as allow_pickle
    write_manifest(model_dir_, MODEL_FILES, meta, key="sha256")
