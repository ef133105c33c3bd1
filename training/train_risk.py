"""The risk model tier: an RBF support-vector classifier on the base MiniLM sentence vectors (no torch).

    nice .venv/bin/python -m training.train_risk      # writes src/sessionlens/models/risk/

Data (all written by the project, or public with a licence that allows training):
  * benchmarks/data risk sets 1-6 (1,374 project-written one-sentence examples, five concepts or none) and
    risk_train_conversation.jsonl (305 sentences in the style of session talk: 81 risk, 224 near-miss ordinary
    talk about sadness, stress, moderate drinking, anger, conflict, grief, plus idioms), written for training;
  * AnnoMI utterances of the even-numbered transcripts as negatives (real conversation, many about drinking;
    upstream README: public domain), read from ../shared/data at run time and never copied. The odd-numbered
    transcripts stay out, for the flooding check in benchmarks/risk_model_section.py.
Protocol: six folds; fold k holds out risk set k AND a sixth of the even AnnoMI transcripts, and scores both with
a model that saw neither. Two thresholds on the pooled held-out scores:
  * ``threshold`` (the recall tier): the highest at which pooled recall over sets 1-6 is >= RECALL_GOAL;
  * ``strict_threshold``: the lowest at which held-out AnnoMI utterances no rule flags get a model flag at most
    FLOOD_GOAL times per 100.
The concept of a model flag is the concept of the nearest positive training sentence (cosine), which the
explanation quotes. The shipped model is then fit on everything. Set 7 is written only after this is frozen.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.svm import SVC

from sessionlens.artifacts import write_manifest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
SETS = ["risk_round1", "risk_round2", "risk_round3", "risk_labelled", "risk_heldout_5", "risk_heldout_6"]
EXTRA = "risk_train_conversation"  # always in training, never a held-out fold
ANNOMI = ROOT.parent / "shared" / "data" / "annomi" / "AnnoMI-simple.dev.csv"
OUT = ROOT / "src" / "sessionlens" / "models" / "risk"
C = 4.0
GAMMA = 2.0  # chosen by the same six-fold protocol among 1 (sklearn's "scale" here), 2, 3, 4; C among 1, 4, 16
RECALL_GOAL = 0.96  # a margin above the 0.95 target: set 7 will be newer wording than any fold
FLOOD_GOAL = 1.0  # model flags per 100 ordinary utterances at the strict threshold
SEED = 13


def load_set(name: str) -> list[dict]:
    lines = (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def annomi_rows(parity: int) -> list[dict]:
    """AnnoMI utterances of transcripts with this id parity (0: training negatives, 1: flooding check)."""
    if not ANNOMI.exists():
        sys.exit(f"AnnoMI not found at {ANNOMI}: the risk model needs it for its negatives")
    with ANNOMI.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r for r in rows if int(r["transcript_id"]) % 2 == parity and len(r["utterance_text"]) >= 3]


def annomi_negatives(parity: int) -> list[str]:
    return [r["utterance_text"] for r in annomi_rows(parity)]


def vectors(tag: str, texts: list[str]) -> np.ndarray:
    """Base MiniLM vectors, cached by content in $SESSIONLENS_TRAIN_CACHE (outside the repository)."""
    from sessionlens.analysis.encoder import base_model

    cache = Path(os.environ.get("SESSIONLENS_TRAIN_CACHE", "/tmp/sessionlens-train"))
    cache.mkdir(parents=True, exist_ok=True)
    seed = "\n".join(texts) + json.dumps(base_model().meta, sort_keys=True)
    key = hashlib.sha256(seed.encode()).hexdigest()
    path = cache / f"risk-{tag}-{key[:12]}.npy"
    if path.exists():
        return np.load(path)
    t0 = time.time()
    out = np.vstack([base_model().run(texts[s:s + 256], ["embedding"])["embedding"]
                     for s in range(0, len(texts), 256)])
    np.save(path, out)
    sys.stderr.write(f"encoded {tag}: {len(texts)} texts in {time.time() - t0:.0f} s\n")
    return out


def fit(x: np.ndarray, y: np.ndarray) -> SVC:
    # Shipped support vectors are float16 (half the size); the runtime margin moves by < 1e-3 (see the tests).
    return SVC(C=C, kernel="rbf", gamma=GAMMA, random_state=SEED).fit(x, y.astype(int))


def to_score(decision: np.ndarray) -> np.ndarray:
    """The SVM margin squashed to 0..1 for display and thresholds (monotone; not a calibrated probability)."""
    return 1.0 / (1.0 + np.exp(-decision))


def ruled(texts: list[str]) -> np.ndarray:
    """Which texts any risk rule flags on its own (a one-utterance session, as the benchmark reads them)."""
    from sessionlens.analysis.risk import find_risk
    from sessionlens.domain import Role, Speaker, Transcript, Utterance

    def one(t: str) -> bool:
        u = Utterance("u1", "C", Role.CLIENT, 0.0, 5.0, t)
        return bool(find_risk(Transcript((u,), (Speaker("C", "C", Role.CLIENT),))))

    return np.array([one(t) for t in texts])


def six_folds(
    xs: list[np.ndarray], ys: list[np.ndarray], extra: tuple[np.ndarray, np.ndarray], xa: np.ndarray,
    tids: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Held-out scores: (set scores pooled, set truth pooled, AnnoMI scores), each from a model that never saw it."""
    order = np.unique(tids)
    np.random.RandomState(SEED).shuffle(order)
    parts = np.array_split(order, len(xs))
    scores, truth, sa = [], [], np.zeros(len(xa))
    for k in range(len(xs)):
        held = np.isin(tids, parts[k])
        tr = [i for i in range(len(xs)) if i != k]
        x = np.vstack([xs[i] for i in tr] + [extra[0], xa[~held]])
        y = np.concatenate([ys[i] for i in tr] + [extra[1], np.zeros((~held).sum(), bool)])
        m = fit(x, y)
        scores.append(to_score(m.decision_function(xs[k])))
        truth.append(ys[k])
        sa[held] = to_score(m.decision_function(xa[held]))
    return np.concatenate(scores), np.concatenate(truth), sa


def pick_thresholds(score: np.ndarray, truth: np.ndarray, sa: np.ndarray, a_ruled: np.ndarray) -> dict:
    grid = np.round(np.arange(0.990, 0.0, -0.005), 3)
    recall_th = next((float(th) for th in grid if (score[truth] >= th).mean() >= RECALL_GOAL), 0.005)
    strict_th = next((float(th) for th in grid[::-1]
                      if ((sa >= th) & ~a_ruled).mean() * 100 <= FLOOD_GOAL), 0.99)

    def at(th: float) -> dict:
        flag = score >= th
        return {"threshold": th, "recall": round(float(flag[truth].mean()), 3),
                "precision": round(float(truth[flag].mean()), 3),
                "annomi_even_flags_per_100": round(float(((sa >= th) & ~a_ruled).mean() * 100), 2)}

    return {"recall_tier": at(recall_th), "strict": at(strict_th)}


def main() -> None:
    sets = [load_set(n) for n in SETS]
    xs = [vectors(n, [it["text"] for it in s]) for n, s in zip(SETS, sets, strict=True)]
    ys = [np.array([bool(it["category"]) for it in s]) for s in sets]
    ex = load_set(EXTRA)
    xe, ye = vectors(EXTRA, [it["text"] for it in ex]), np.array([bool(it["category"]) for it in ex])
    rows = annomi_rows(0)
    texts = [r["utterance_text"] for r in rows]
    xa, tids = vectors("annomi-even", texts), np.array([int(r["transcript_id"]) for r in rows])
    score, truth, sa = six_folds(xs, ys, (xe, ye), xa, tids)
    cv = pick_thresholds(score, truth, sa, ruled(texts))
    print("six folds:", json.dumps(cv))
    x = np.vstack([*xs, xe, xa])
    y = np.concatenate([*ys, ye, np.zeros(len(xa), bool)])
    model = fit(x, y)
    labelled = [it for s in sets for it in s] + ex
    pos = [i for i, it in enumerate(labelled) if it["category"]]
    xl = np.vstack([*xs, xe])
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez(OUT / "weights.npz", support=model.support_vectors_.astype(np.float16),
             dual=model.dual_coef_[0].astype(np.float32), intercept=np.float32(model.intercept_[0]),
             exemplars=xl[pos].astype(np.float16),
             exemplar_text=np.array([labelled[i]["text"] for i in pos]),
             exemplar_concept=np.array([labelled[i]["category"] for i in pos]))
    from sessionlens.analysis.encoder import base_model

    meta = {"kind": "rbf-svm", "gamma": GAMMA, "threshold": cv["recall_tier"]["threshold"],
            "strict_threshold": cv["strict"]["threshold"],
            "encoder": "sessionlens/models/encoder (base MiniLM)",
            "encoder_sha256": base_model().meta["files"]["model.onnx"],
            "cv": {"protocol": "six folds: one of sets 1-6 and a sixth of the even AnnoMI transcripts held out",
                   **cv},
            "train": {"sentences": int(len(labelled)), "positives": len(pos), "annomi_negatives": len(xa),
                      "support_vectors": int(len(model.support_vectors_)), "C": C}}
    write_manifest(OUT, ["weights.npz"], meta, key="sha256")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
