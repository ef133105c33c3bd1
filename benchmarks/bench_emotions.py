"""Emotion classifier benchmark: macro-F1 on GoEmotions dev (28 labels and the Ekman grouping), and speed.

Reproduce: `make bench BENCH=emotions`. Targets: macro-F1 >= 0.46 (28 labels) and >= 0.64 (Ekman), the BERT
results of the GoEmotions paper. The shipped model's thresholds were tuned on a split of TRAIN, never on dev;
dev is read only here and once at the end of training/train_emotions.py.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score

from benchmarks.run import machine
from sessionlens.analysis.emotion_model import EKMAN, LABELS, load

ROOT = Path(__file__).resolve().parents[1]


def goemotions() -> Path:
    env = os.environ.get("SESSIONLENS_SHARED_DATA")
    return (Path(env) if env else ROOT.parent / "shared" / "data") / "goemotions"


def read(path: Path, n: int) -> tuple[list[str], np.ndarray]:
    texts, ys = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        y = np.zeros(n, dtype=int)
        y[[int(i) for i in parts[1].split(",")]] = 1
        texts.append(parts[0])
        ys.append(y)
    return texts, np.vstack(ys)


def main() -> str:
    src = goemotions()
    if not src.exists():
        return f"## Emotions (GoEmotions dev)\n\nSkipped: GoEmotions not found at {src}.\n"
    model = load()
    texts, y28 = read(src / "original" / "dev.tsv", len(LABELS))
    _, y7 = read(src / "ekman" / "dev.tsv", len(EKMAN))
    x = model.featurizer.transform(texts)
    p28, p7 = model.goemotions.proba(x), model.ekman.proba(x)
    f28 = f1_score(y28, model.goemotions.decide(p28), average="macro", zero_division=0)
    f7 = f1_score(y7, model.ekman.decide(p7), average="macro", zero_division=0)
    per_label = f1_score(y28, model.goemotions.decide(p28), average=None, zero_division=0)
    weakest = ", ".join(f"{LABELS[i]} {per_label[i]:.2f}" for i in np.argsort(per_label)[:5])
    speeds = []
    for _ in range(3):
        t0 = time.perf_counter()
        model.predict(texts)
        speeds.append(len(texts) / (time.perf_counter() - t0))
    return f"""## Emotions (GoEmotions dev)

Machine: {machine()}. Reproduce: `make bench BENCH=emotions` (model trained by
`nice .venv/bin/python -m training.train_emotions`).
Model: TF-IDF word 1–2-grams + char_wb 2–5-grams, one-vs-rest logistic regression, per-label thresholds tuned on
15% of TRAIN (dev never used for tuning); float16 weights in `src/sessionlens/models/emotions/`.

| grouping | macro-F1 on dev ({len(texts)} comments) | target (BERT, paper) |
|---|---|---|
| 28 labels | **{f28:.3f}** | 0.46 |
| Ekman (7) | **{f7:.3f}** | 0.64 |

Weakest labels: {weakest}. Throughput: {statistics.median(speeds):,.0f} utterances/second (median of 3 runs, batch of
{len(texts)}; includes feature extraction).
"""


if __name__ == "__main__":
    print(main())
