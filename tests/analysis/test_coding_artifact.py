"""The shipped coding model: small, pickle-free, and checked against its recorded SHA-256."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sessionlens.analysis.coding.artifact import MODEL_DIR, load_model
from sessionlens.artifacts import sha256_file as sha256
from sessionlens.errors import IntegrityError


def test_every_model_file_is_listed_with_its_hash_and_small() -> None:
    manifest = json.loads((MODEL_DIR / "manifest.json").read_text())
    listed = set(manifest["files"])
    on_disk = {p.name for p in MODEL_DIR.iterdir() if p.suffix in (".json", ".npz") and p.name != "manifest.json"}
    assert listed == on_disk
    for name, digest in manifest["files"].items():
        assert sha256(MODEL_DIR / name) == digest
    total = sum(p.stat().st_size for p in MODEL_DIR.iterdir())
    assert total <= 50 * 1024 * 1024
    assert not [p for p in MODEL_DIR.iterdir() if p.suffix in (".pkl", ".pickle", ".joblib")]


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "coding"
    shutil.copytree(MODEL_DIR, dest)
    return dest


def test_copy_loads(model_copy: Path) -> None:
    model = load_model(model_copy)
    assert model.therapist.head.labels == ("question", "reflection", "therapist_input", "other")
    assert model.client.head.labels == ("change", "neutral", "sustain")


@pytest.mark.parametrize("name", ["therapist.npz", "client.json", "therapist.json", "client.npz"])
def test_tampered_file_is_refused(model_copy: Path, name: str) -> None:
    path = model_copy / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(IntegrityError):
        load_model(model_copy)


def test_missing_file_or_manifest_is_refused(model_copy: Path) -> None:
    (model_copy / "client.npz").unlink()
    with pytest.raises(IntegrityError):
        load_model(model_copy)
    (model_copy / "manifest.json").unlink()
    with pytest.raises(IntegrityError):
        load_model(model_copy)


def test_unlisted_file_is_refused(model_copy: Path) -> None:
    manifest = json.loads((model_copy / "manifest.json").read_text())
    del manifest["files"]["therapist.json"]
    (model_copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IntegrityError):
        load_model(model_copy)


def test_featurizer_state_round_trip_is_exact() -> None:
    import numpy as np

    from sessionlens.analysis.coding.features import Featurizer, Turn, session_rows

    turns = [Turn("therapist" if k % 2 == 0 else "client", text) for k, text in enumerate(
        ["What brings you here today?", "I want to cut down on drinking.", "You want to cut down.",
         "Yes, but it helps me relax.", "How would things be different?", "I'd sleep better, I guess."] * 3)]
    _, docs, dense = session_rows(turns, "therapist")
    feat = Featurizer("therapist").fit(docs)
    meta, arrays = feat.state()
    again = Featurizer.from_state(json.loads(json.dumps(meta)), arrays)
    a, b = feat.transform(docs, dense), again.transform(docs, dense)
    assert a.shape == b.shape and np.allclose(a.toarray(), b.toarray())
    assert feat.names() == again.names()
