"""Grouped 5-fold CV of the fine-tuned coding encoder, alone and blended with the linear coder.

The encoder folds are trained by ``python -m training.finetune_coding --cv`` (torch, the ``train`` extra) and
cached as out-of-fold probabilities in ``benchmarks/results/coding_cv/<config>/fold<k>.npz`` — resumable, and
readable here without torch. The linear coder is refitted on exactly the same transcript folds, so the two are
compared (and blended) on identical held-out transcripts.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score

from training.coding_pipeline import LABELS, fit_role, role_data
from training.finetune_config import CV_CACHE, HEADS, SUB_LABELS, config_key, example_keys

FOLDS = 5
WEIGHTS = (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 1.0)  # encoder share of the blended probabilities


def fold_files(folds: int = FOLDS) -> list[Path] | None:
    """The finished folds (a partial run is reported as such), or None when none has finished."""
    files = [CV_CACHE / config_key() / f"fold{k}.npz" for k in range(folds)]
    return files if any(f.exists() for f in files) else None


def encoder_oof(n: int, files: list[Path]) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    probs = {h: np.zeros((n, len(v))) for h, v in HEADS.items()}
    ys = {h: np.full(n, -1) for h in HEADS}
    fold = np.full(n, -1)
    for k, f in enumerate(files):
        if not f.exists():
            continue
        with np.load(f) as z:
            te = z["test"]
            fold[te] = k
            for h in HEADS:
                probs[h][te] = z[f"p_{h}"]
                ys[h][te] = z[f"y_{h}"]
    return probs, ys, fold


def linear_oof(sessions, keys: list[tuple[str, int]], fold: np.ndarray) -> dict[str, np.ndarray]:
    """The linear coder refitted per fold on the same transcripts; rows follow ``keys``."""
    where = {k: j for j, k in enumerate(keys)}
    out = {h: np.zeros((len(keys), len(v))) for h, v in HEADS.items()}
    tid_fold = {keys[j][0]: int(fold[j]) for j in range(len(keys))}
    for k in sorted(set(fold.tolist()) - {-1}):
        train = [t for t in sessions if tid_fold.get(t) != k]
        test = [t for t in sessions if tid_fold.get(t) == k]
        for role in ("therapist", "client"):
            fit = fit_role(role_data(sessions, train, role), role)
            data = role_data(sessions, test, role)
            main, subs = fit.predict(data)
            rows = [where[key] for key in data.keys]
            out[role][rows] = main
            for m, p in subs.items():
                out[m][rows] = p
    return out


def scores(y: np.ndarray, p: np.ndarray, k: int) -> tuple[float, np.ndarray]:
    m = y >= 0
    pred = p[m].argmax(1)
    return (f1_score(y[m], pred, average="macro", labels=range(k), zero_division=0),
            f1_score(y[m], pred, average=None, labels=range(k), zero_division=0))


def advice_end_to_end(ys, probs) -> float:
    """Advice as a whole-pipeline decision over all therapist turns: main = input and input sub-code = advice."""
    m = ys["therapist"] >= 0
    k_in = HEADS["therapist"].index("therapist_input")
    k_adv = SUB_LABELS["therapist_input"].index("advice")
    gold = (ys["therapist"] == k_in) & (ys["therapist_input"] == k_adv)
    pred = (probs["therapist"].argmax(1) == k_in) & (probs["therapist_input"].argmax(1) == k_adv)
    return f1_score(gold[m], pred[m], zero_division=0)


def blend(enc, lin, w: float) -> dict[str, np.ndarray]:
    return {h: w * enc[h] + (1 - w) * lin[h] for h in HEADS}


def confusion(y, p, labels) -> list[list]:
    m = y >= 0
    cm = confusion_matrix(y[m], p[m].argmax(1), labels=range(len(labels)))
    return [[labels[i], *cm[i].tolist()] for i in range(len(labels))]


def evaluate(sessions) -> dict | None:
    """Everything the benchmark prints, or None when the encoder folds have not been trained."""
    files = fold_files()
    if files is None:
        return None
    keys = example_keys(sessions)
    enc, ys, fold = encoder_oof(len(keys), files)
    done = fold >= 0
    if not done.all():  # only the finished folds' held-out rows count
        ys = {h: np.where(done, y, -1) for h, y in ys.items()}
    lin = linear_oof(sessions, keys, fold)
    table = []
    for w in WEIGHTS:
        p = blend(enc, lin, w)
        row = {"w": w, "advice_e2e": advice_end_to_end(ys, p)}
        for h, labels in HEADS.items():
            row[h], row[f"{h}_per_class"] = scores(ys[h], p[h], len(labels))
        row["advice_sub"] = row["therapist_input_per_class"][SUB_LABELS["therapist_input"].index("advice")]
        table.append(row)
    per_fold = []
    for k in sorted(set(fold.tolist()) - {-1}):
        sel = fold == k
        per_fold.append({name: {h: scores(ys[h][sel], src[h][sel], len(HEADS[h]))[0]
                                for h in ("therapist", "client")} for name, src in (("encoder", enc), ("linear", lin))})
    return {"table": table, "per_fold": per_fold, "enc": enc, "lin": lin, "ys": ys, "n": int(done.sum()),
            "folds_done": sorted(set(fold.tolist()) - {-1}),
            "labels": LABELS}
