"""Emotion heads on the base MiniLM sentence vectors, blended with the TF-IDF emotion model (GoEmotions).

    nice .venv/bin/python -m training.train_emotion_heads     # writes src/sessionlens/models/emotions_encoder/

No torch: the vectors come from the shipped ONNX encoder (``sessionlens.analysis.encoder``), the same vectors
themes use, so at run time each utterance is encoded once for both. Protocol:
  1. one-vs-rest logistic heads (28 GoEmotions labels, 7 Ekman groups) fit on GoEmotions TRAIN vectors;
  2. the blend weight w (encoder share; the rest is the shipped TF-IDF model) and per-label thresholds are tuned
     on GoEmotions DEV only (test is the owners'). The honest score is 2-fold on DEV: tune on one half, score the
     other, and swap; the shipped thresholds are then tuned on all of DEV.
Vectors are cached in $SESSIONLENS_TRAIN_CACHE (default /tmp/sessionlens-train) so a rerun skips encoding.
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score

from sessionlens.analysis.emotion_model import EKMAN, LABELS, load
from sessionlens.artifacts import write_manifest
from training.train_emotions import data_dir, read_tsv, tune_thresholds

SEED = 13
C = 1.0
WEIGHTS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 1.0)
# All of TRAIN by default (43,410 comments, about 9 min of encoding on 2 loaded cores); a seeded sample when
# SESSIONLENS_EMOTION_TRAIN_LIMIT is set, for a quick try.
TRAIN_LIMIT = int(os.environ.get("SESSIONLENS_EMOTION_TRAIN_LIMIT", "0")) or None
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "sessionlens" / "models" / "emotions_encoder"
FILES = ("heads.npz",)


def vectors(split: str, texts: list[str]) -> np.ndarray:
    """Base MiniLM vectors, cached per chunk of 2,048 texts (so an interrupted run resumes where it stopped)."""
    from sessionlens.analysis.encoder import base_model

    cache = Path(os.environ.get("SESSIONLENS_TRAIN_CACHE", "/tmp/sessionlens-train"))
    cache.mkdir(parents=True, exist_ok=True)
    model_hash = base_model().meta.get("files", base_model().meta.get("sha256", {})).get("model.onnx", "")
    key = hashlib.sha256(("\n".join(texts) + model_hash).encode()).hexdigest()[:12]
    whole = cache / f"goemotions-{split}-{key}.npy"
    if whole.exists():  # the whole split, cached by an earlier version of this script
        return np.load(whole)
    parts, t0 = [], time.time()
    for s in range(0, len(texts), 2048):
        chunk = texts[s:s + 2048]
        key = hashlib.sha256(("\n".join(chunk) + model_hash).encode()).hexdigest()[:12]
        path = cache / f"goemotions-{split}-{key}.npy"
        if not path.exists():
            np.save(path, base_model().run(chunk, ["embedding"])["embedding"])
            sys.stderr.write(f"encoded {split} {s + len(chunk)}/{len(texts)} in {time.time() - t0:.0f} s\n")
        parts.append(np.load(path))
    return np.vstack(parts)


def fit_heads(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One-vs-rest logistic regression for every label at once (sklearn's objective: 0.5 |w|^2 + C * log-loss,
    intercept not penalised), solved jointly by L-BFGS: the labels are independent, so this equals one fit per
    label, but each pass over the vectors is one matrix product instead of one per label."""
    from scipy.optimize import minimize

    n, d = x.shape
    k = y.shape[1]
    xb = np.hstack([x.astype(np.float64), np.ones((n, 1))])
    yf = y.astype(np.float64)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta.reshape(d + 1, k)
        z = xb @ w
        value = C * float(np.sum(np.logaddexp(0, z) - yf * z)) + 0.5 * float(np.sum(w[:-1] ** 2))
        grad = C * (xb.T @ (sigmoid(z) - yf))
        grad[:-1] += w[:-1]
        return value, grad.ravel()

    theta = minimize(loss, np.zeros((d + 1) * k), jac=True, method="L-BFGS-B", options={"maxiter": 1000}).x
    w = theta.reshape(d + 1, k)
    return w[:-1].astype(np.float32), w[-1].astype(np.float32)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def decide(p: np.ndarray, th: np.ndarray) -> np.ndarray:
    """As the shipped Head.decide: labels over threshold, the relative arg-max where none is."""
    out = p >= th
    none = ~out.any(axis=1)
    out[none, np.argmax(p[none] / th, axis=1)] = True
    return out


def tune(p: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Blend weight and thresholds maximising macro-F1 on (p by weight, y)."""
    best = (-1.0, 0.0, np.full(y.shape[1], 0.5))
    for w, pw in p.items():
        th = tune_thresholds(pw, y)
        score = f1_score(y, decide(pw, th), average="macro", zero_division=0)
        if score > best[0]:
            best = (score, w, th)
    return best[1], best[2]


def two_fold(p: dict[float, np.ndarray], y: np.ndarray) -> dict[str, object]:
    """Tune on one half of DEV, score the other half, swap; macro-F1 over the pooled held-out decisions."""
    rng = np.random.default_rng(SEED)
    half = rng.permutation(len(y)) < len(y) // 2
    pred = np.zeros_like(y, dtype=bool)
    chosen = []
    for part in (half, ~half):
        w, th = tune({k: v[~part] for k, v in p.items()}, y[~part])
        pred[part] = decide(p[w][part], th)
        chosen.append(w)
    per = f1_score(y, pred, average=None, zero_division=0)
    return {"macro_f1": round(float(per.mean()), 4), "per_label": [round(float(v), 3) for v in per],
            "weights_chosen": chosen, "pred": pred}


def blended(p_enc: np.ndarray, p_tfidf: np.ndarray) -> dict[float, np.ndarray]:
    return {w: w * p_enc + (1 - w) * p_tfidf for w in WEIGHTS}


def main() -> int:
    src = data_dir()
    if not src.exists():
        sys.stderr.write(f"GoEmotions not found at {src}; nothing to train\n")
        return 2
    tr_text, y28 = read_tsv(src / "original" / "train.tsv", len(LABELS))
    _, y7 = read_tsv(src / "ekman" / "train.tsv", len(EKMAN))
    if TRAIN_LIMIT:
        pick = np.sort(np.random.default_rng(SEED).permutation(len(tr_text))[:TRAIN_LIMIT])
        tr_text, y28, y7 = [tr_text[i] for i in pick], y28[pick], y7[pick]
    dev_text, d28 = read_tsv(src / "original" / "dev.tsv", len(LABELS))
    _, d7 = read_tsv(src / "ekman" / "dev.tsv", len(EKMAN))
    x_tr, x_dev = vectors("train", tr_text), vectors("dev", dev_text)
    tfidf = load(encoder_dir=OUT / "absent")  # the TF-IDF model alone, never a previous blend
    t28, t7 = tfidf.predict(dev_text)
    arrays, meta = {}, {"name": "sessionlens-emotions-encoder", "version": 1, "seed": SEED, "C": C,
                        "features": "base MiniLM vector (models/encoder)", "train_rows": len(tr_text),
                        "train_sample": f"{TRAIN_LIMIT} of TRAIN, seed {SEED}" if TRAIN_LIMIT else "all of TRAIN"}
    for name, y, d, t in (("goemotions", y28, d28, t28), ("ekman", y7, d7, t7)):
        coef, icpt = fit_heads(x_tr, y)
        p = blended(sigmoid(x_dev @ coef + icpt), t)
        honest = two_fold(p, d)
        w, th = tune(p, d)
        alone = two_fold({1.0: p[1.0]}, d)["macro_f1"]
        tfidf_alone = two_fold({0.0: p[0.0]}, d)["macro_f1"]
        arrays.update({f"{name}_coef": coef.astype(np.float16), f"{name}_intercept": icpt,
                       f"{name}_thresholds": th.astype(np.float32), f"{name}_weight": np.float32(w)})
        meta[name] = {"dev_2fold_macro_f1": honest["macro_f1"], "dev_2fold_per_label": honest["per_label"],
                      "dev_2fold_weights_chosen": honest["weights_chosen"], "encoder_alone_2fold": alone,
                      "tfidf_alone_2fold": tfidf_alone, "weight": w}
        sys.stderr.write(f"{name}: blend {honest['macro_f1']} (w={honest['weights_chosen']}), encoder alone "
                         f"{alone}, tf-idf alone {tfidf_alone}; shipped w={w}\n")
    OUT.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    (OUT / "heads.npz").write_bytes(buf.getvalue())
    write_manifest(OUT, FILES, meta)
    return 0


if __name__ == "__main__":
    sys.exit(main())
