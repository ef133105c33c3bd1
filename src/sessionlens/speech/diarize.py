"""Who spoke when: speaker embeddings over short overlapping windows, then clustering.

Windows of 1.5 s (step 0.75 s) cover the speech regions; each gets a voice embedding. Windows
are grouped by average-linkage agglomerative clustering on cosine distance. The number of
speakers is the number of clusters below a distance threshold, kept within 1-4 (``max_speakers``),
unless the caller fixes it. Clusters too small to be a voice are folded into the nearest one.
Very long sessions are clustered on an even subsample and every window is then assigned to
the nearest centroid, so memory stays bounded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

WINDOW = 1.5
STEP = 0.75
MIN_WINDOW = 0.4  # shorter speech regions are left to the word-level pass
THRESHOLD = 0.32  # cosine distance at which two groups of windows are different voices
MAX_SPEAKERS = 4
MAX_LINKAGE = 2000  # windows clustered directly; beyond that a subsample is
# A cluster with fewer windows than this share is not a speaker of its own. 0.07 (was 0.04; of 0.04-0.13), chosen
# leave one recording out with the short-window turns in 11 of 12 folds (benchmarks/speech_turns_study.py):
# unaided, a two-person splice found 4 voices at 0.04, 2 at 0.07.
MIN_SHARE = 0.07


@dataclass(frozen=True, slots=True)
class Clusters:
    labels: np.ndarray  # speaker index per window
    centroids: np.ndarray  # (k, dim) unit vectors

    @property
    def count(self) -> int:
        return len(self.centroids)


def window_spans(regions: list[tuple[float, float]], window: float = WINDOW,
                 step: float = STEP) -> list[tuple[float, float]]:
    """Windows over each speech region; a short region gets one window of its own length."""
    spans: list[tuple[float, float]] = []
    for s, e in regions:
        if e - s < MIN_WINDOW:
            continue
        if e - s <= window:
            spans.append((s, e))
            continue
        t = s
        while t + window < e:
            spans.append((t, t + window))
            t += step
        spans.append((max(s, e - window), e))
    return spans


def _normalise(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-9)


def _centroids(embs: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    return _normalise(np.stack([embs[labels == i].mean(axis=0) for i in range(k)]))


def _relabel(labels: np.ndarray) -> np.ndarray:
    """Number clusters by first appearance, so SPEAKER_1 is whoever spoke first."""
    order: dict[int, int] = {}
    for lab in labels:
        order.setdefault(int(lab), len(order))
    return np.array([order[int(lab)] for lab in labels])


def cluster(embs: np.ndarray, n_speakers: int | None = None, *, threshold: float = THRESHOLD,
            max_speakers: int = MAX_SPEAKERS) -> Clusters:
    """Group window embeddings into speakers."""
    n = len(embs)
    if n == 0:
        return Clusters(np.zeros(0, int), np.zeros((0, embs.shape[1] if embs.ndim == 2 else 256)))
    if n == 1 or n_speakers == 1:
        return Clusters(np.zeros(n, int), _normalise(embs.mean(axis=0, keepdims=True)))
    from scipy.cluster.hierarchy import fcluster, linkage

    stride = max(1, int(np.ceil(n / MAX_LINKAGE)))
    sample = embs[::stride]
    if n_speakers:
        # A known count is honoured exactly: when the voices found unaided number that many, they stand;
        # otherwise k-means makes that many groups, started from the voices found unaided (k-means from
        # scratch splits the biggest voice in two rather than finding a brief one: on the AMI clips told
        # their count, mean DER 0.40 from scratch vs 0.36 seeded; trn03 told 2, worst talk share 20 -> 4 points).
        unaided = cluster(embs, None, threshold=threshold, max_speakers=max(max_speakers, n_speakers))
        if unaided.count == n_speakers:
            return unaided
        k = min(n_speakers, len(sample))
        return _kmeans(embs, sample, k, _seeds(_normalise(sample), unaided, k))
    tree = linkage(sample, method="average", metric="cosine")
    labels = fcluster(tree, t=threshold, criterion="distance") - 1
    labels = _fold_small(sample, labels, max_speakers)
    k = int(labels.max()) + 1
    cents = _centroids(sample, labels, k)
    # Assign every window (not only the sample) to its nearest centroid, then refine once.
    full = np.argmax(embs @ cents.T, axis=1)
    present = np.unique(full)
    cents = _centroids(embs, np.searchsorted(present, full), len(present))
    full = _relabel(np.argmax(embs @ cents.T, axis=1))
    k = int(full.max()) + 1
    return Clusters(full, _centroids(embs, full, k))


def _seeds(sample: np.ndarray, unaided: Clusters, k: int) -> np.ndarray:
    """Starting centroids for ``k`` voices: the biggest voices found unaided; where they are too few, each
    further one starts at the window least like every voice so far (a brief speaker's own windows)."""
    if unaided.count >= k:
        sizes = np.bincount(unaided.labels, minlength=unaided.count)
        return unaided.centroids[np.argsort(-sizes, kind="stable")[:k]]
    seeds = list(unaided.centroids)
    while len(seeds) < k:
        seeds.append(sample[int(np.argmin(np.max(sample @ np.stack(seeds).T, axis=1)))])
    return np.stack(seeds)


def _kmeans(embs: np.ndarray, sample: np.ndarray, k: int, seeds: np.ndarray) -> Clusters:
    """Exactly ``k`` clusters (spherical k-means on unit vectors from ``seeds``: same input, same answer)."""
    from sklearn.cluster import KMeans

    km = KMeans(n_clusters=k, init=seeds, n_init=1, random_state=0).fit(_normalise(sample))
    cents = _normalise(km.cluster_centers_)
    full = np.argmax(embs @ cents.T, axis=1)
    cents = np.stack([_normalise(embs[full == i].mean(axis=0)) if np.any(full == i) else cents[i]
                      for i in range(k)])
    full = np.argmax(embs @ cents.T, axis=1)
    order = list(dict.fromkeys(int(x) for x in full)) + [i for i in range(k) if i not in set(full.tolist())]
    return Clusters(np.array([order.index(int(x)) for x in full]), cents[order])


def _fold_small(embs: np.ndarray, labels: np.ndarray, max_speakers: int) -> np.ndarray:
    """Keep the biggest clusters (at most ``max_speakers``, each with enough windows)."""
    counts = np.bincount(labels)
    keep = [int(i) for i in np.argsort(-counts) if counts[i] >= max(2, MIN_SHARE * len(labels))][:max_speakers]
    if not keep:
        keep = [int(np.argmax(counts))]
    cents = _centroids(embs, labels, len(counts))[keep]
    out = np.array([keep.index(int(lab)) if int(lab) in keep else int(np.argmax(cents @ e))
                    for lab, e in zip(labels, embs)])
    return out


__all__ = ["Clusters", "MAX_SPEAKERS", "cluster", "window_spans"]
