"""The high-recall model tier: an RBF support-vector classifier over the base MiniLM sentence vectors.

It catches wording no rule anticipates; the rules stay for explanation (the exact words, the rule id) and for
negation. Every model score carries its own explanation: the score, the threshold it passed, and the concept of
the nearest written training sentence (quoted), the way a recogniser reports its score and pattern. Trained by
``training/train_risk.py``; weights in ``sessionlens/models/risk`` are read only through the hash-checked manifest.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from ...artifacts import IntegrityError, ManifestDir, models_dir

MODEL_ID = "risk-model-v2"


@dataclass(frozen=True, slots=True)
class ModelScore:
    score: float  # the SVM margin squashed to 0..1 (monotone, not a calibrated probability)
    concept: str  # the concept of the nearest positive training sentence
    nearest: str  # that sentence (written by the project, never client data)
    similarity: float  # its cosine similarity to the utterance


@dataclass(frozen=True)
class RiskModel:
    support: np.ndarray  # support vectors x 384
    dual: np.ndarray  # their signed weights
    intercept: float
    gamma: float
    exemplars: np.ndarray  # positive training sentences x 384 (L2-normalised)
    exemplar_text: tuple[str, ...]
    exemplar_concept: tuple[str, ...]
    threshold: float  # the recall tier: flags where a rule fired nearby
    strict_threshold: float  # flags on its own

    def margins(self, vectors: np.ndarray) -> np.ndarray:
        sq = (vectors**2).sum(1)[:, None] + (self.support**2).sum(1)[None, :] - 2.0 * vectors @ self.support.T
        return np.exp(-self.gamma * np.maximum(sq, 0.0)) @ self.dual + self.intercept

    def predict(self, vectors: np.ndarray) -> list[ModelScore]:
        """One score with its nearest concept per vector."""
        if len(vectors) == 0:
            return []
        score = 1.0 / (1.0 + np.exp(-self.margins(vectors)))
        sims = vectors @ self.exemplars.T
        best = sims.argmax(axis=1)
        return [
            ModelScore(float(s), self.exemplar_concept[j], self.exemplar_text[j], float(sims[i, j]))
            for i, (s, j) in enumerate(zip(score, best, strict=True))
        ]


@cache
def load_model() -> RiskModel:
    artifact = ManifestDir.open(models_dir("risk"), "risk model")
    arrays = np.load(io.BytesIO(artifact.read("weights.npz")))
    meta = artifact.manifest
    if meta.get("kind") != "rbf-svm":
        raise IntegrityError("risk model: manifest kind is not rbf-svm (retrain with training/train_risk.py)")
    ex = arrays["exemplars"].astype(np.float32)
    ex /= np.linalg.norm(ex, axis=1, keepdims=True)
    return RiskModel(
        arrays["support"].astype(np.float32), arrays["dual"].astype(np.float32), float(arrays["intercept"]),
        float(meta["gamma"]), ex, tuple(str(t) for t in arrays["exemplar_text"]),
        tuple(str(c) for c in arrays["exemplar_concept"]), float(meta["threshold"]),
        float(meta["strict_threshold"]),
    )


def score_texts(texts: Sequence[str]) -> list[ModelScore]:
    """A score per text; the encoder's per-session cache means each utterance is encoded once."""
    from ..encoder import encode

    if not texts:
        return []
    return load_model().predict(encode(list(texts)))
