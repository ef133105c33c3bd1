"""Try int8 (dynamic) quantisation of the fine-tuned coding encoder and measure what it costs and saves.

    nice .venv/bin/python -m training.quantize_encoder          # writes $OUT (default /tmp/sessionlens-int8)

The shipped graph stores its weights as float16 with Cast nodes; it is first rewritten to float32 (the Casts
dropped), then ``onnxruntime.quantization.quantize_dynamic`` turns the MatMul weights into int8. Both graphs
code the same AnnoMI utterances (with their context, as at run time): the report gives per-head agreement of the
predicted class, the largest probability difference, and the time of each on the same rows in the same process.
Accuracy against AnnoMI labels cannot be read from this model (it was trained on all of AnnoMI dev); agreement
with the float model is the measure: the int8 graph may replace it only if the codes stay the same.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

from sessionlens.analysis.coding.context import pair_rows
from sessionlens.analysis.coding.encoder_model import heads
from sessionlens.analysis.encoder import load_text_model
from sessionlens.artifacts import models_dir
from training.annomi import load_sessions

OUT = Path(os.environ.get("SESSIONLENS_INT8_OUT", "/tmp/sessionlens-int8"))
ROWS = int(os.environ.get("SESSIONLENS_INT8_ROWS", "800"))


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


def session(path: Path):
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads, opts.inter_op_num_threads, opts.log_severity_level = 2, 1, 3
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


def main() -> int:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    OUT.mkdir(parents=True, exist_ok=True)
    src = models_dir("coding_encoder")
    fp32, int8 = OUT / "model.fp32.onnx", OUT / "model.int8.onnx"
    onnx.save(to_float32(onnx.load(str(src / "model.onnx"))), str(fp32))
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"])
    base = load_text_model(src, "coding encoder", truncate=False)
    turns = [t for _, ts in list(load_sessions().items())[:40] for t in ts][:ROWS]
    roles, texts = [t.role for t in turns], [t.text for t in turns]
    rows = pair_rows(base.tokenizer, roles, texts, range(len(turns)))
    names = list(heads(base))
    outputs = [f"logits_{h}" for h in names]
    report = {"rows": len(rows), "sizes_mb": {}, "seconds": {}, "heads": {}}
    results = {}
    for tag, path in (("fp16-shipped", src / "model.onnx"), ("int8", int8)):
        base.session = session(path)
        t0 = time.perf_counter()
        results[tag] = base.run_ids(rows, outputs)
        report["seconds"][tag] = round(time.perf_counter() - t0, 2)
        report["sizes_mb"][tag] = round(path.stat().st_size / 2**20, 1)
    for h, o in zip(names, outputs, strict=True):
        a, b = results["fp16-shipped"][o], results["int8"][o]
        pa, pb = (np.exp(x - x.max(1, keepdims=True)) for x in (a, b))
        pa, pb = pa / pa.sum(1, keepdims=True), pb / pb.sum(1, keepdims=True)
        report["heads"][h] = {"same_class": round(float((a.argmax(1) == b.argmax(1)).mean()), 4),
                              "max_prob_diff": round(float(np.abs(pa - pb).max()), 4)}
    (OUT / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
