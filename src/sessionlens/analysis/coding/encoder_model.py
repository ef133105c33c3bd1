"""The fine-tuned MiniLM coder (``models/coding_encoder``): probabilities per utterance from its text and context.

Five heads share one pass over ``[CLS] previous turns [SEP] this turn [SEP]`` (``context.py``): therapist
behaviour, client talk type and the question / reflection / input sub-codes. Vectors of logits are cached in
memory per (context, utterance), so re-coding a session after a correction costs nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from sessionlens.analysis.coding.context import context_text, pair_rows, tagged
from sessionlens.analysis.encoder import CACHE, TextModel, load_text_model
from sessionlens.artifacts import models_dir

NAME = "coding_encoder"


@lru_cache(maxsize=1)
def coding_encoder() -> TextModel | None:
    """The shipped model, hash-checked; None when this install has no such folder (the linear coder then runs
    alone). A folder that is present but altered raises IntegrityError."""
    directory = models_dir(NAME)
    if not (directory / "manifest.json").exists():
        return None
    return load_text_model(directory, "coding encoder", truncate=False)


def heads(model: TextModel) -> dict[str, tuple[str, ...]]:
    return {h: tuple(labels) for h, labels in model.meta["heads"].items()}


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def encoder_probabilities(model: TextModel, roles: Sequence[str], texts: Sequence[str],
                          indices: Sequence[int]) -> dict[str, np.ndarray]:
    """head -> (len(indices) x classes) probabilities for the utterances at ``indices``."""
    names = list(heads(model))
    outputs = [f"logits_{h}" for h in names]
    keys = [(NAME, context_text(roles, texts, i), tagged(roles[i], texts[i])) for i in indices]
    sizes = [len(v) for v in heads(model).values()]

    def compute(missing: list) -> np.ndarray:
        pos = {k: j for j, k in enumerate(keys)}
        rows = pair_rows(model.tokenizer, roles, texts, [indices[pos[k]] for k in missing])
        out = model.run_ids(rows, outputs)
        return np.concatenate([out[o] for o in outputs], axis=1)

    logits = CACHE.get_many(keys, compute) if keys else np.zeros((0, sum(sizes)), np.float32)
    bounds = np.cumsum([0, *sizes])
    return {h: _softmax(logits[:, bounds[k]:bounds[k + 1]]) for k, h in enumerate(names)}
