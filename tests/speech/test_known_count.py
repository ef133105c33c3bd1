"""A known speaker count is honoured by finding the brief voice, not by splitting the dominant one."""

from __future__ import annotations

import numpy as np

from sessionlens.speech.diarize import cluster


def _voices(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    dim = 32
    a, b = np.zeros(dim), np.zeros(dim)
    a[0], b[1] = 1.0, 1.0
    # the dominant voice drifts along one direction (tone, distance): k-means from scratch cuts it there
    drift = np.zeros(dim)
    drift[2] = 1.0
    dominant = a + np.outer(rng.uniform(-0.45, 0.45, 120), drift) + rng.normal(0, 0.03, (120, dim))
    brief = b * 0.6 + a * 0.8 + rng.normal(0, 0.03, (4, dim))  # a second voice, heard in four windows
    embs = np.vstack([dominant, brief])
    embs /= np.linalg.norm(embs, axis=1, keepdims=True)
    truth = np.array([0] * 120 + [1] * 4)
    return embs, truth


def test_told_two_the_brief_voice_gets_the_second_cluster():
    embs, truth = _voices()
    unaided = cluster(embs)
    assert unaided.count == 1  # four windows are too few to be a voice of their own unaided
    told = cluster(embs, 2)
    assert told.count == 2
    assert len(set(told.labels[truth == 0].tolist())) == 1  # the dominant voice stays whole
    assert set(told.labels[truth == 1].tolist()) == {1 - told.labels[0]}


def test_told_count_is_deterministic():
    embs, _ = _voices(1)
    assert np.array_equal(cluster(embs, 3).labels, cluster(embs, 3).labels)
