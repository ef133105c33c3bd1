"""Load the shipped coding model: JSON metadata + .npz arrays, each checked against its SHA-256.

Nothing here unpickles: ``np.load(..., allow_pickle=False)`` and ``json.loads`` only. The
manifest (``manifest.json``) lists every model file with its hash; :mod:`sessionlens.artifacts`
refuses a missing file or a hash mismatch (IntegrityError) before any byte is used.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from sessionlens.analysis.coding.features import Featurizer
from sessionlens.artifacts import ManifestDir

MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "coding"


@dataclass(frozen=True)
class LinearHead:
    """Softmax over ``x @ coef.T + intercept``, divided by a fitted temperature."""

    labels: tuple[str, ...]
    coef: np.ndarray  # (classes, features), float32
    intercept: np.ndarray
    temperature: float = 1.0

    def logits(self, x) -> np.ndarray:  # x: scipy csr (rows, features)
        return np.asarray(x @ self.coef.T) + self.intercept

    def proba(self, x) -> np.ndarray:
        z = self.logits(x) / self.temperature
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class RoleModel:
    featurizer: Featurizer
    head: LinearHead
    names: tuple[str, ...]
    subheads: dict[str, LinearHead]  # main label -> sub-code head (therapist only)


@dataclass(frozen=True)
class CodingModel:
    therapist: RoleModel
    client: RoleModel
    meta: dict


def _head(meta: dict, arrays, prefix: str) -> LinearHead:
    return LinearHead(tuple(meta["labels"]), arrays[f"{prefix}_coef"].astype(np.float32),
                      arrays[f"{prefix}_intercept"].astype(np.float32), float(meta.get("temperature", 1.0)))


def _role(artifact: ManifestDir, role: str) -> RoleModel:
    meta = json.loads(artifact.read(f"{role}.json"))
    with np.load(io.BytesIO(artifact.read(f"{role}.npz")), allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    feat = Featurizer.from_state(meta["featurizer"], arrays)
    subs = {main: _head(m, arrays, f"sub_{main}") for main, m in meta.get("subheads", {}).items()}
    return RoleModel(feat, _head(meta["head"], arrays, "head"), tuple(feat.names()), subs)


def load_model(model_dir: Path | None = None) -> CodingModel:
    """Read and verify the artifact (every file's hash is checked before it is parsed)."""
    artifact = ManifestDir.open(model_dir or MODEL_DIR, "coding model")
    return CodingModel(_role(artifact, "therapist"), _role(artifact, "client"), artifact.manifest)


@lru_cache(maxsize=1)
def default_model() -> CodingModel:
    return load_model()


_ACTIVE: ContextVar[CodingModel | None] = ContextVar("coding_model", default=None)


@contextmanager
def using(model: CodingModel | None) -> Iterator[None]:
    """Code with ``model`` (e.g. a clinician's re-trained heads) inside this block; None: the shipped model."""
    token = _ACTIVE.set(model)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def current_model() -> CodingModel:
    """The model of the enclosing :func:`using` block, else the shipped one."""
    return _ACTIVE.get() or default_model()
