"""The shipped MiniLM encoder: same vectors as the float64 numpy reference, hash-checked, cached per text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from sessionlens.analysis import encoder
from sessionlens.artifacts import models_dir
from sessionlens.errors import IntegrityError

from ._model_helpers import tampered_copy

REFERENCE = Path(__file__).parent / "data" / "encoder_reference.json"


def test_vectors_match_the_numpy_reference_forward_pass():
    ref = json.loads(REFERENCE.read_text(encoding="utf-8"))
    got = encoder.encode(ref["sentences"])
    assert got.dtype == np.float32 and got.shape == (len(ref["sentences"]), 384)
    cos = (got * np.asarray(ref["vectors"])).sum(1)
    assert cos.min() > 0.999, cos
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-4)


def test_similar_meaning_is_closer_than_unrelated_text():
    a, b, c = encoder.encode(["I keep drinking too much on weekends.",
                              "On Saturdays I have way more beer than I should.",
                              "The printer on the third floor is broken again."])
    assert a @ b > a @ c + 0.2


def test_order_and_batching_do_not_change_vectors():
    texts = [f"sentence number {i} " + "word " * (i % 17) for i in range(70)]  # > one batch, mixed lengths
    encoder.CACHE.clear()
    together = encoder.encode(texts)
    encoder.CACHE.clear()
    alone = np.stack([encoder.encode([t])[0] for t in texts[:5]])
    assert np.allclose(together[:5], alone, atol=1e-5)


def test_each_text_is_encoded_once_and_shared():
    encoder.CACHE.clear()
    before = encoder.CACHE.misses
    first = encoder.encode(["How was your week?", "Fine.", "How was your week?"])
    assert encoder.CACHE.misses - before == 2
    second = encoder.encode(["Fine.", "How was your week?"])
    assert encoder.CACHE.misses - before == 2
    assert np.array_equal(second[1], first[0])


def test_empty_input_gives_an_empty_matrix():
    assert encoder.encode([]).shape == (0, 384)


def test_a_tampered_model_file_is_refused(tmp_path):
    target = tampered_copy(models_dir("encoder"), tmp_path / "encoder", "tokenizer.json", at=100, mask=1)
    with pytest.raises(IntegrityError, match="tokenizer.json"):
        encoder.load_text_model(target, "sentence encoder")


def test_a_missing_manifest_is_refused(tmp_path):
    shutil.copytree(models_dir("encoder"), tmp_path / "encoder")
    (tmp_path / "encoder" / "manifest.json").unlink()
    with pytest.raises(IntegrityError):
        encoder.load_text_model(tmp_path / "encoder", "sentence encoder")
