"""Train the packaged emotion classifier on GoEmotions (Apache-2.0) — reproducible, fixed seeds.

    nice .venv/bin/python -m training.train_emotions            # train, write src/sessionlens/models/emotions/
    nice .venv/bin/python -m training.train_emotions --no-save  # train and report only

Data: ../shared/data/goemotions relative to the repo, or $SESSIONLENS_SHARED_DATA/goemotions.
Protocol (never tuned on dev):
  1. TRAIN is split 85/15 (seed 13) into FIT and TUNE.
  2. Featurizer + one-vs-rest logistic heads are fit on FIT for each C in the grid; per-label decision
     thresholds are tuned on TUNE to maximise each label's F1; the C with the best TUNE macro-F1 is kept.
  3. The featurizer and heads are refit on all of TRAIN with that C; the TUNE thresholds are kept.
  4. GoEmotions DEV is scored once, for the model card and the benchmark only.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from sessionlens.analysis.emotion_model import (
    EKMAN,
    LABELS,
    Featurizer,
    Head,
    char_vectorizer,
    clean,
    save,
    word_vectorizer,
)

SEED = 13
TUNE_SHARE = 0.15
C_GRID = (1.0, 2.0, 4.0)
WORD_MAX, CHAR_MAX = 40_000, 80_000
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "sessionlens" / "models" / "emotions"


def data_dir() -> Path:
    env = os.environ.get("SESSIONLENS_SHARED_DATA")
    base = Path(env) if env else ROOT.parent / "shared" / "data"
    return base / "goemotions"


def read_tsv(path: Path, n_labels: int) -> tuple[list[str], np.ndarray]:
    texts, rows = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        y = np.zeros(n_labels, dtype=np.int8)
        y[[int(i) for i in parts[1].split(",")]] = 1
        texts.append(parts[0])
        rows.append(y)
    return texts, np.vstack(rows)


def fit_featurizer(texts: list[str]) -> Featurizer:
    cleaned = [clean(t) for t in texts]
    word = word_vectorizer(max_features=WORD_MAX).fit(cleaned)
    char = char_vectorizer(max_features=CHAR_MAX).fit(cleaned)
    return Featurizer(word, char)


def fit_head(x: sp.csr_matrix, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    coefs, intercepts = [], []
    for j in range(y.shape[1]):
        clf = LogisticRegression(C=c, solver="liblinear", max_iter=200, random_state=SEED)
        clf.fit(x, y[:, j])
        coefs.append(clf.coef_[0])
        intercepts.append(clf.intercept_[0])
    return np.vstack(coefs).T.astype(np.float32), np.asarray(intercepts)


def tune_thresholds(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    grid = np.arange(0.02, 0.9, 0.01)
    best = np.full(y.shape[1], 0.5)
    for j in range(y.shape[1]):
        scores = [f1_score(y[:, j], p[:, j] >= t, zero_division=0) for t in grid]
        best[j] = grid[int(np.argmax(scores))]
    return best


def macro_f1(head: Head, x: sp.csr_matrix, y: np.ndarray) -> float:
    return float(f1_score(y, head.decide(head.proba(x)), average="macro", zero_division=0))


def select(
    texts: list[str], y: np.ndarray, labels: tuple[str, ...], fit_idx, tune_idx
) -> tuple[float, np.ndarray]:
    """Pick C and thresholds using FIT/TUNE (both inside TRAIN)."""
    feat = fit_featurizer([texts[i] for i in fit_idx])
    x_fit = feat.transform([texts[i] for i in fit_idx])
    x_tune = feat.transform([texts[i] for i in tune_idx])
    best: tuple[float, float, np.ndarray] = (-1.0, C_GRID[0], np.full(len(labels), 0.5))
    for c in C_GRID:
        coef, icpt = fit_head(x_fit, y[fit_idx], c)
        probe = Head(labels, coef, icpt, np.full(len(labels), 0.5))
        th = tune_thresholds(probe.proba(x_tune), y[tune_idx])
        score = macro_f1(Head(labels, coef, icpt, th), x_tune, y[tune_idx])
        sys.stderr.write(f"  C={c}: TUNE macro-F1 {score:.4f}\n")
        if score > best[0]:
            best = (score, c, th)
    return best[1], best[2]


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__).parse_known_args(argv)[1]
    save_it = "--no-save" not in args
    src = data_dir()
    if not src.exists():
        sys.stderr.write(f"GoEmotions not found at {src}; nothing to train\n")
        return 2
    t0 = time.time()
    tr_text, y28 = read_tsv(src / "original" / "train.tsv", len(LABELS))
    _, y7 = read_tsv(src / "ekman" / "train.tsv", len(EKMAN))
    rng = np.random.default_rng(SEED)
    order = rng.permutation(len(tr_text))
    n_tune = int(len(order) * TUNE_SHARE)
    tune_idx, fit_idx = np.sort(order[:n_tune]), np.sort(order[n_tune:])
    chosen = {}
    for name, y, labels in (("goemotions", y28, LABELS), ("ekman", y7, EKMAN)):
        sys.stderr.write(f"selecting {name}\n")
        chosen[name] = select(tr_text, y, labels, fit_idx, tune_idx)
    feat = fit_featurizer(tr_text)
    x_all = feat.transform(tr_text)
    heads = {}
    for name, y, labels in (("goemotions", y28, LABELS), ("ekman", y7, EKMAN)):
        c, th = chosen[name]
        coef, icpt = fit_head(x_all, y, c)
        heads[name] = Head(labels, coef, icpt, th)
    scores = evaluate_dev(feat, heads, src)
    meta = {
        "name": "sessionlens-emotions",
        "version": 1,
        "seed": SEED,
        "tune_share": TUNE_SHARE,
        "C": {k: v[0] for k, v in chosen.items()},
        "train_rows": len(tr_text),
        "features": {"word": len(feat.word.vocabulary_), "char": len(feat.char.vocabulary_)},
        "dev_macro_f1": scores,
        "labels": list(LABELS),
        "ekman_labels": list(EKMAN),
    }
    sys.stderr.write(f"dev macro-F1: {scores}  ({time.time() - t0:.0f} s)\n")
    if save_it:
        save(OUT, feat, heads, meta)
    return 0


def evaluate_dev(feat: Featurizer, heads: dict[str, Head], src: Path) -> dict[str, float]:
    dev_text, d28 = read_tsv(src / "original" / "dev.tsv", len(LABELS))
    _, d7 = read_tsv(src / "ekman" / "dev.tsv", len(EKMAN))
    x = feat.transform(dev_text)
    return {
        "goemotions": round(macro_f1(heads["goemotions"], x, d28), 4),
        "ekman": round(macro_f1(heads["ekman"], x, d7), 4),
    }


if __name__ == "__main__":
    sys.exit(main())
