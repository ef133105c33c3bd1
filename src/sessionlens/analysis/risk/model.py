"""The high-recall model tier: a logistic classifier over the base MiniLM sentence vectors.

It catches wording no rule anticipates; the rules stay for explanation (the exact words, the rule id) and for
negation. Trained by ``training/train_risk.py``; weights in ``sessionlens/models/risk`` are read only through
the hash-checked manifest.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from ...artifacts import ManifestDir, models_dir

MODEL_ID = "risk-model-v1"


@dataclass(frozen=True)
class RiskModel:
    classes: tuple[str, ...]  # "none" first, then the concepts
    coef: np.ndarray  # classes x 384
    intercept: np.ndarray
    threshold: float  # on P(any concept) = 1 - P(none)

    def predict(self, vectors: np.ndarray) -> list[tuple[float, str]]:
        """(risk score, most likely concept) per vector."""
        z = vectors @ self.coef.T + self.intercept
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        best = p[:, 1:].argmax(axis=1) + 1
        return [(float(1.0 - row[0]), self.classes[j]) for row, j in zip(p, best, strict=True)]


@cache
def load_model() -> RiskModel:
    artifact = ManifestDir.open(models_dir("risk"), "risk model")
    arrays = np.load(io.BytesIO(artifact.read("weights.npz")))
    meta = artifact.manifest
    return RiskModel(tuple(meta["classes"]), arrays["coef"], arrays["intercept"], float(meta["threshold"]))


def score_texts(texts: Sequence[str]) -> list[tuple[float, str]]:
    """(score, concept) per text; the encoder's per-session cache means each utterance is encoded once."""
    from ..encoder import encode

    if not texts:
        return []
    return load_model().predict(encode(list(texts)))
