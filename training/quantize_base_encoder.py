"""int8 base sentence encoder (all-MiniLM-L6-v2): ``quantize_encoder``'s method, checked on real text and risk scores.

    nice .venv/bin/python -m training.quantize_base_encoder           # report only ($OUT/base_report.json)
    nice .venv/bin/python -m training.quantize_base_encoder --ship    # also replaces models/encoder/model.onnx

The float graph is the float16-stored one ``build_encoder`` shipped, read back from git at ``FLOAT_COMMIT`` (SHA-256
checked). Build: ``quantize_encoder.quantize`` (ORT Gelu, SmoothQuant alpha 0.5 on the 384-wide MatMul inputs,
int8 per-channel MatMul weights, float16 word table). Calibration: 512 AnnoMI utterances of even-numbered
transcripts; they are left out of the check. ``--float-ffn-out`` keeps the six feed-forward output MatMuls (input:
the 1536-wide GELU output, whose per-tensor int8 scale loses most; smoothing it made things worse) in float.

The check compares int8 with float vectors on every other AnnoMI dev utterance and on every sentence of the risk
sets 1-7 (and the conversation training set): cosine (mean, min, 1st percentile), and the shipped risk SVM's
decisions at both thresholds. ``--ship`` refuses unless the decisions agree on at least ``MIN_AGREEMENT`` of the
sentences and each risk set's model-only recall and precision move by at most ``MAX_SET_CHANGE``. The SVM was
trained on the float vectors, so this is what the swap costs it.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from sessionlens.analysis.encoder import load_text_model
from sessionlens.analysis.risk.model import load_model
from sessionlens.artifacts import models_dir, sha256_file, write_manifest
from training.finetune_config import ROOT
from training.quantize_encoder import ALPHA, OUT, SEED, quantize, session

FLOAT_COMMIT = "415b046"  # build_encoder's float16-stored graph
FLOAT_SHA256 = "aebeffd24beee1d797e7596bf5bff50c5b13f4caf618fd6dc32e873754c5630c"
ANNOMI = ROOT.parent / "shared" / "data" / "annomi" / "AnnoMI-simple.dev.csv"
RISK_SETS = ["risk_round1", "risk_round2", "risk_round3", "risk_labelled", "risk_heldout_5", "risk_heldout_6",
             "risk_heldout_7", "risk_train_conversation"]
CALIBRATION_ROWS = 512
FFN_OUT = tuple(f"encoder.layer.{i}.output.dense.weight.T" for i in range(6))
MIN_AGREEMENT, MAX_SET_CHANGE = 0.995, 0.01


def float_graph() -> bytes:
    data = subprocess.run(["git", "show", f"{FLOAT_COMMIT}:src/sessionlens/models/encoder/model.onnx"],
                          cwd=ROOT, capture_output=True, check=True).stdout
    if hashlib.sha256(data).hexdigest() != FLOAT_SHA256:
        raise SystemExit("the float base encoder does not match FLOAT_SHA256")
    return data


def annomi_texts() -> tuple[list[str], list[str]]:
    """(calibration, check): AnnoMI dev utterances; calibration drawn from even-numbered transcripts only."""
    if not ANNOMI.exists():
        raise SystemExit(f"AnnoMI not found at {ANNOMI}")
    with ANNOMI.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["utterance_text"].strip()]
    even = [i for i, r in enumerate(rows) if int(r["transcript_id"]) % 2 == 0]
    picked = set(np.random.default_rng(SEED).choice(even, CALIBRATION_ROWS, replace=False).tolist())
    texts = [r["utterance_text"] for r in rows]
    return [texts[i] for i in sorted(picked)], [t for i, t in enumerate(texts) if i not in picked]


def risk_sets() -> dict[str, tuple[list[str], np.ndarray]]:
    out = {}
    for name in RISK_SETS:
        items = [json.loads(line) for line in (ROOT / "benchmarks" / "data" / f"{name}.jsonl")
                 .read_text(encoding="utf-8").splitlines() if line.strip()]
        out[name] = ([it["text"] for it in items], np.array([bool(it["category"]) for it in items]))
    return out


def _rows(tokenizer, texts: list[str]) -> list[tuple[list[int], list[int]]]:
    return [(e.ids, e.type_ids) for e in tokenizer.encode_batch(texts)]


def _cosines(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    cos = (a * b).sum(1)
    return {"mean": round(float(cos.mean()), 6), "min": round(float(cos.min()), 6),
            "p1": round(float(np.percentile(cos, 1)), 6)}


def _set_stats(flag: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    return {"recall": round(float(flag[truth].mean()), 4) if truth.any() else 1.0,
            "precision": round(float(truth[flag].mean()), 4) if flag.any() else 1.0}


def check(vecs: dict[str, np.ndarray], n_annomi: int, sets: dict[str, tuple[list[str], np.ndarray]]) -> dict:
    """Cosine and risk-decision agreement of the int8 vectors with the float ones (module docstring)."""
    ref, new = vecs["float"], vecs["int8"]
    svm = load_model()
    score = {tag: 1.0 / (1.0 + np.exp(-svm.margins(v))) for tag, v in vecs.items()}
    report: dict = {"cosine": {"annomi": _cosines(ref[:n_annomi], new[:n_annomi]),
                               "risk_sets": _cosines(ref[n_annomi:], new[n_annomi:]), "all": _cosines(ref, new)},
                    "fused_float_min_cosine": round(float((ref * vecs["fused_float"]).sum(1).min()), 6),
                    "max_score_diff": round(float(np.abs(score["float"] - score["int8"]).max()), 4),
                    "decisions": {}, "sets": {}}
    for label, th in (("threshold", svm.threshold), ("strict", svm.strict_threshold)):
        flags = {tag: s >= th for tag, s in score.items()}
        same = flags["float"] == flags["int8"]
        report["decisions"][label] = {"at": th, "same": round(float(same.mean()), 5), "changed": int((~same).sum()),
                                      "changed_annomi": int((~same[:n_annomi]).sum()),
                                      "float_flags": int(flags["float"].sum()), "int8_flags": int(flags["int8"].sum())}
        at = n_annomi
        for name, (texts, truth) in sets.items():
            part = {tag: f[at:at + len(texts)] for tag, f in flags.items()}
            stats = {tag: _set_stats(part[tag], truth) for tag in ("float", "int8")}
            change = max(abs(stats["int8"][k] - stats["float"][k]) for k in ("recall", "precision"))
            report["sets"].setdefault(name, {})[label] = dict(stats, largest_change=round(change, 4))
            at += len(texts)
    return report


def passes(report: dict) -> bool:
    return (min(d["same"] for d in report["decisions"].values()) >= MIN_AGREEMENT
            and max(s[k]["largest_change"] for s in report["sets"].values() for k in s) <= MAX_SET_CHANGE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ship", action="store_true")
    parser.add_argument("--float-ffn-out", action="store_true", help="keep the feed-forward output MatMuls float")
    args = parser.parse_args(argv)
    target = models_dir("encoder")
    base = load_text_model(target, "sentence encoder")
    calibration_texts, annomi = annomi_texts()
    sets = risk_sets()
    texts = annomi + [t for ts, _ in sets.values() for t in ts]
    rows = _rows(base.tokenizer, texts)
    float_model = float_graph()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        keep: tuple[str, ...] = FFN_OUT if args.float_ffn_out else ()
        fused, int8 = quantize(float_model, _rows(base.tokenizer, calibration_texts), Path(tmp), keep_float=keep)
        graphs: dict[str, bytes | str] = {"float": float_model, "fused_float": str(fused), "int8": str(int8)}
        vecs, seconds = {}, {}
        for tag, graph in graphs.items():
            base.session = session(graph)
            t0 = time.process_time()
            vecs[tag] = base.run_ids(rows, ["embedding"])["embedding"]
            seconds[tag] = round(time.process_time() - t0, 2)
        report = check(vecs, len(annomi), sets)
        report.update(sentences={"annomi": len(annomi), "risk_sets": len(texts) - len(annomi)},
                      cpu_seconds=seconds, alpha=ALPHA, float_matmuls=list(keep), calibration_rows=CALIBRATION_ROWS,
                      sizes_mb={"float": round(len(float_model) / 2**20, 1),
                                "int8": round(int8.stat().st_size / 2**20, 1)})
        (OUT / f"base_report{'_ffn_float' if keep else ''}.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(json.dumps(report, indent=2))
        if args.ship:
            if not passes(report):
                print("not shipped: risk decisions or set recall/precision moved too far", file=sys.stderr)
                return 1
            (target / "model.onnx").write_bytes(int8.read_bytes())
            meta = {k: v for k, v in base.meta.items() if k not in ("files", "check")}
            meta["stored_as"] = "int8_smoothquant"
            meta["check"] = {"float_commit": FLOAT_COMMIT, "float_model_sha256": FLOAT_SHA256,
                             "command": "python -m training.quantize_base_encoder --ship",
                             **{k: report[k] for k in ("sentences", "cosine", "fused_float_min_cosine",
                                                       "max_score_diff", "decisions", "calibration_rows", "alpha",
                                                       "float_matmuls")},
                             "sets_largest_change": max(s[k]["largest_change"] for s in report["sets"].values()
                                                        for k in s)}
            write_manifest(target, ["model.onnx", "tokenizer.json"], meta)
            print("shipped", sha256_file(target / "model.onnx"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
