"""int8 coding encoder: the fine-tuned float graph smoothed, then its MatMul weights quantised, checked on fold 1.

    nice .venv/bin/python -m training.quantize_encoder           # report only ($OUT/report.json)
    nice .venv/bin/python -m training.quantize_encoder --ship    # also replaces models/coding_encoder/model.onnx

The float graph is the one ``finetune_coding --ship`` exported (float16-stored weights): by default the shipped one,
read back from git at ``FLOAT_COMMIT`` (its SHA-256 checked); after a new export, which writes a float
``model.onnx``, copy it aside and give it with ``--float PATH``.

1. The graph is rebuilt from its weights (float16 stored, float32 here) with onnxruntime's Gelu kernel in place of
   the five elementwise GELU nodes (``encoder_graph.build_graph(fused=True)``; ~14% less CPU once int8).
2. Smoothing (SmoothQuant, alpha 0.5) of the inputs of the 384-wide MatMuls: a few channels of the LayerNorm
   outputs reach 28 where the median channel stays under 2, and dynamic int8 uses one scale per tensor, so those
   channels set it. Each such input is divided per channel by s and the weight rows multiplied by s (exact in
   float), s from the channel maxima over calibration rows taken from the transcripts outside fold 1. The
   1536-wide GELU output is left alone: smoothing it too moved the codes further from the float model.
3. ``quantize_dynamic``: int8 weights per output channel, activations quantised per tensor at run time. The
   word-embedding table (a Gather, not quantised) goes back to float16 storage with a Cast, as it was shipped:
   exact (its values came from float16) and 22 MB smaller.
4. The check, on fold 1's held-out transcripts (the first of the grouped 5 folds of ``coding_encoder_cv``): per
   head macro-F1 of the float and the int8 graph, the share of utterances whose class stays the same, the
   largest and mean probability difference, and each graph's CPU time on one thread. The shipped model was
   trained on all 93 transcripts, these included, so the F1 values are not held-out accuracy; their difference
   is what quantisation costs. ``--ship`` refuses when a head loses more than ``MAX_F1_DROP``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from sklearn.metrics import f1_score

from sessionlens.analysis.coding.context import pair_rows
from sessionlens.analysis.coding.encoder_model import heads
from sessionlens.analysis.encoder import _feed, load_text_model
from sessionlens.artifacts import models_dir, sha256_file, write_manifest
from training.annomi import load_sessions
from training.encoder_graph import build_graph
from training.finetune_config import CV_CACHE, ROOT, config_key, example_positions

OUT = Path(os.environ.get("SESSIONLENS_INT8_OUT", "/tmp/sessionlens-int8"))
FLOAT_COMMIT = "6ece127"  # the commit that shipped the float16-stored graph
FLOAT_SHA256 = "f062986e3ed31f5d70adbc79dc013b5a6df956d6cb1775d6a0208c522563aa7b"
ALPHA, SMOOTH_WIDTH, CALIBRATION_ROWS, SEED = 0.5, 384, 512, 13
MAX_F1_DROP = 0.005


def to_float32(model: onnx.ModelProto) -> onnx.ModelProto:
    """Replace each float16 initializer feeding a Cast-to-float by a float32 initializer under the Cast's output."""
    graph = model.graph
    f16 = {i.name: i for i in graph.initializer if i.data_type == onnx.TensorProto.FLOAT16}
    keep, new_inits = [], []
    for node in graph.node:
        if node.op_type == "Cast" and node.input[0] in f16:
            arr = numpy_helper.to_array(f16[node.input[0]]).astype(np.float32)
            new_inits.append(numpy_helper.from_array(arr, node.output[0]))
        else:
            keep.append(node)
    del graph.node[:]
    graph.node.extend(keep)
    rest = [i for i in graph.initializer if i.name not in f16]
    del graph.initializer[:]
    graph.initializer.extend(rest + new_inits)
    return model


def rebuild_fused(model: onnx.ModelProto) -> onnx.ModelProto:
    """The same weights and heads (float32) as a graph built with ``fused=True``."""
    arrays = {i.name: numpy_helper.to_array(i) for i in to_float32(model).graph.initializer}
    weights = {k.removesuffix(".T"): (v.T if k.endswith(".T") else v) for k, v in arrays.items()
               if k.startswith(("embeddings.", "encoder."))}
    order = [o.name.removeprefix("logits_") for o in model.graph.output if o.name.startswith("logits_")]
    task = {h: (arrays[f"head.{h}.weight.T"].T, arrays[f"head.{h}.bias"]) for h in order}
    heads = int(arrays["c.split_shape"][2])  # (0, 0, heads, head size): the attention reshape
    return build_graph(weights, heads=heads, task_heads=task, fused=True)


def float_graph(path: Path | None) -> bytes:
    """The given float graph (e.g. a new ``finetune_coding --ship`` export), else the shipped one from git."""
    if path:
        return path.read_bytes()
    data = subprocess.run(["git", "show", f"{FLOAT_COMMIT}:src/sessionlens/models/coding_encoder/model.onnx"],
                          cwd=ROOT, capture_output=True, check=True).stdout
    if hashlib.sha256(data).hexdigest() != FLOAT_SHA256:
        raise SystemExit("the float coding encoder does not match FLOAT_SHA256")
    return data


def session(model: bytes | str):
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads, opts.inter_op_num_threads, opts.log_severity_level = 1, 1, 3
    return ort.InferenceSession(model, opts, providers=["CPUExecutionProvider"])


def fold_rows(tokenizer, held_out: set[str], inside: bool) -> list[tuple[list[int], list[int]]]:
    """(context, utterance) rows of the coded turns of the transcripts in (or outside) ``held_out``."""
    rows = []
    for tid, turns in load_sessions().items():
        if (tid in held_out) == inside:
            rows += pair_rows(tokenizer, [r.role for r in turns], [r.text for r in turns], example_positions(turns))
    return rows


def _weight_matmuls(model: onnx.ModelProto) -> list[onnx.NodeProto]:
    inits = {i.name for i in model.graph.initializer}
    return [n for n in model.graph.node if n.op_type == "MatMul" and n.input[1] in inits
            and n.input[1].startswith("encoder.")]


def channel_maxima(model: onnx.ModelProto, names: list[str], rows) -> dict[str, np.ndarray]:
    """Largest |value| per channel of each named tensor over the real (unpadded) tokens of ``rows``."""
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    probe.graph.output.extend(helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in names)
    sess = session(probe.SerializeToString())
    amax = {n: np.zeros(1, np.float32) for n in names}
    order = np.argsort([len(r[0]) for r in rows])
    for start in range(0, len(rows), 32):
        feed = _feed([rows[i] for i in order[start:start + 32]])
        real = feed["attention_mask"].astype(bool)
        for n, value in zip(names, sess.run(names, feed), strict=True):
            amax[n] = np.maximum(amax[n], np.abs(value[real]).max(0))
    return amax


def smooth(model: onnx.ModelProto, rows, alpha: float = ALPHA, width: int = SMOOTH_WIDTH) -> onnx.ModelProto:
    """x @ W  ->  (x / s) @ (s W) for each MatMul input of ``width`` channels (step 2 of the module docstring)."""
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    matmuls = _weight_matmuls(model)
    inputs = list(dict.fromkeys(n.input[0] for n in matmuls))
    amax = channel_maxima(model, inputs, rows)
    producer = {out: k for k, node in enumerate(graph.node) for out in node.output}
    inserts = []
    for name in (n for n in inputs if amax[n].shape[0] == width):
        users = [n for n in matmuls if n.input[0] == name]
        wmax = np.max([np.abs(numpy_helper.to_array(inits[u.input[1]])).max(1) for u in users], axis=0)
        s = (np.maximum(amax[name], 1e-5) ** alpha / np.maximum(wmax, 1e-5) ** (1 - alpha)).astype(np.float32)
        graph.initializer.append(numpy_helper.from_array(1 / s, name + ".smooth"))
        inserts.append((producer[name], helper.make_node("Mul", [name, name + ".smooth"], [name + ".smoothed"],
                                                         name=name + ".smooth")))
        for u in users:
            w = numpy_helper.to_array(inits[u.input[1]])
            inits[u.input[1]].CopyFrom(numpy_helper.from_array((w * s[:, None]).astype(np.float32), u.input[1]))
            u.input[0] = name + ".smoothed"
    nodes = list(graph.node)
    for at, node in sorted(inserts, key=lambda t: -t[0]):  # from the end, so earlier positions stay valid
        nodes.insert(at + 1, node)
    del graph.node[:]
    graph.node.extend(nodes)
    return model


def half_tables(model: onnx.ModelProto, least: int = 1 << 20) -> onnx.ModelProto:
    """Store large float32 tables read by Gather as float16 plus a Cast (folded by onnxruntime at load)."""
    graph = model.graph
    gathered = {n.input[0] for n in graph.node if n.op_type == "Gather"}
    for init in list(graph.initializer):
        if init.name in gathered and init.data_type == TensorProto.FLOAT and np.prod(init.dims) >= least:
            arr = numpy_helper.to_array(init)
            graph.initializer.remove(init)
            graph.initializer.append(numpy_helper.from_array(arr.astype(np.float16), init.name + ".f16"))
            graph.node.insert(0, helper.make_node("Cast", [init.name + ".f16"], [init.name], name=init.name + ".cast",
                                                  to=TensorProto.FLOAT))
    return model


def quantize(float_model: bytes, calibration, work: Path, width: int = SMOOTH_WIDTH, alpha: float = ALPHA,
             keep_float: tuple[str, ...] = ()) -> tuple[Path, Path]:
    """(the fused float graph, the int8 graph built from it); MatMuls reading a weight named in ``keep_float``
    stay float (for the few layers whose int8 error a downstream model notices)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    fused, smoothed, int8 = work / "fused.onnx", work / "smoothed.onnx", work / "model.int8.onnx"
    model = rebuild_fused(onnx.load_from_string(float_model))
    onnx.save(model, str(fused))
    model = smooth(model, calibration, alpha=alpha, width=width)
    onnx.save(model, str(smoothed))
    excluded = [n.name for n in _weight_matmuls(model) if n.input[1] in keep_float]
    quantize_dynamic(str(smoothed), str(int8), weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"],
                     per_channel=True, nodes_to_exclude=excluded,
                     extra_options={"DefaultTensorType": TensorProto.FLOAT})
    onnx.save(half_tables(onnx.load(str(int8))), str(int8))
    return fused, int8


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def compare(base, graphs: dict[str, bytes | str], rows, ys: dict[str, np.ndarray]) -> dict:
    names = list(heads(base))
    outputs = [f"logits_{h}" for h in names]
    probs, seconds = {}, {}
    for tag, graph in graphs.items():
        base.session = session(graph)
        t0 = time.process_time()
        out = base.run_ids(rows, outputs)
        seconds[tag] = round(time.process_time() - t0, 2)
        probs[tag] = {h: _softmax(out[f"logits_{h}"]) for h in names}
    ref, new = probs["float"], probs["int8"]
    report: dict = {"rows": len(rows), "cpu_seconds_one_thread": seconds, "heads": {}}
    for h in names:
        k = ys[h] >= 0
        f1 = {tag: round(float(f1_score(ys[h][k], p[h][k].argmax(1), average="macro",
                                        labels=range(p[h].shape[1]), zero_division=0)), 4)
              for tag, p in probs.items()}
        diff = np.abs(ref[h][k] - new[h][k])
        fused = float(np.abs(ref[h][k] - probs["fused_float"][h][k]).max())
        report["heads"][h] = {"macro_f1": f1, "f1_change": round(f1["int8"] - f1["float"], 4),
                              "same_class": round(float((ref[h][k].argmax(1) == new[h][k].argmax(1)).mean()), 4),
                              "max_prob_diff": round(float(diff.max()), 4),
                              "mean_prob_diff": round(float(diff.mean()), 4), "fused_float_max_diff": fused}
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ship", action="store_true")
    parser.add_argument("--float", type=Path, help="the float16-stored graph (default: from git)")
    args = parser.parse_args(argv)
    target = models_dir("coding_encoder")
    base = load_text_model(target, "coding encoder", truncate=False)
    with np.load(CV_CACHE / config_key() / "fold0.npz") as z:  # fold 1 of coding_encoder_cv
        held_out = set(z["groups"].tolist())
        ys = {h: z[f"y_{h}"] for h in heads(base)}
    rows = fold_rows(base.tokenizer, held_out, inside=True)
    pool = fold_rows(base.tokenizer, held_out, inside=False)
    rng = np.random.default_rng(SEED)
    calibration = [pool[i] for i in rng.choice(len(pool), CALIBRATION_ROWS, replace=False)]
    OUT.mkdir(parents=True, exist_ok=True)
    float_model = float_graph(args.float)
    with tempfile.TemporaryDirectory() as tmp:
        fused, int8 = quantize(float_model, calibration, Path(tmp))
        report = compare(base, {"float": float_model, "fused_float": str(fused), "int8": str(int8)}, rows, ys)
        report.update(alpha=ALPHA, smoothed_width=SMOOTH_WIDTH, calibration_rows=CALIBRATION_ROWS,
                      held_out_transcripts=len(held_out), sizes_mb={"float": round(len(float_model) / 2**20, 1),
                                                                    "int8": round(int8.stat().st_size / 2**20, 1)})
        (OUT / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(json.dumps(report, indent=2))
        worst = min(h["f1_change"] for h in report["heads"].values())
        if args.ship:
            if worst < -MAX_F1_DROP:
                print(f"not shipped: a head lost {-worst:.4f} macro-F1 (> {MAX_F1_DROP})", file=sys.stderr)
                return 1
            (target / "model.onnx").write_bytes(int8.read_bytes())
            meta = {k: v for k, v in base.meta.items() if k != "files"}
            source = {"float_model": str(args.float)} if args.float else {"float_commit": FLOAT_COMMIT}
            meta["quantization"] = dict(report, float_model_sha256=hashlib.sha256(float_model).hexdigest(), **source,
                                        command="python -m training.quantize_encoder --ship")
            write_manifest(target, ["model.onnx", "tokenizer.json"], meta)
            print("shipped", sha256_file(target / "model.onnx"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
