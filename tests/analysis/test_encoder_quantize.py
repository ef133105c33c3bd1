"""How the int8 coding encoder is built (training/quantize_encoder.py), on a small random BERT built for this test:
the Gelu kernel and the smoothing change nothing in float, the embedding table's float16 storage is exact, and the
int8 graph stays close to the float one. Also: the runner's batches run in parallel and come back in input order.
"""

from __future__ import annotations

import numpy as np
import onnx

from sessionlens.analysis.encoder import _feed, base_model
from training.encoder_graph import build_graph
from training.quantize_base_encoder import MAX_SET_CHANGE, passes
from training.quantize_encoder import half_tables, quantize, rebuild_fused, session, smooth

HIDDEN, FFN, LAYERS, HEADS, VOCAB = 32, 64, 2, 4, 60


def _weights(seed: int = 3) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)

    def m(*shape: int, scale: float = 0.2) -> np.ndarray:
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    w = {"embeddings.word_embeddings.weight": m(VOCAB, HIDDEN), "embeddings.position_embeddings.weight": m(64, HIDDEN),
         "embeddings.token_type_embeddings.weight": m(2, HIDDEN),
         "embeddings.LayerNorm.weight": 1 + m(HIDDEN), "embeddings.LayerNorm.bias": m(HIDDEN)}
    w["embeddings.LayerNorm.weight"][3] = 12.0  # an outlier channel, as MiniLM's LayerNorm outputs have
    for i in range(LAYERS):
        p = f"encoder.layer.{i}"
        for name in ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"):
            w[f"{p}.{name}.weight"], w[f"{p}.{name}.bias"] = m(HIDDEN, HIDDEN), m(HIDDEN)
        w[f"{p}.intermediate.dense.weight"], w[f"{p}.intermediate.dense.bias"] = m(FFN, HIDDEN), m(FFN)
        w[f"{p}.output.dense.weight"], w[f"{p}.output.dense.bias"] = m(HIDDEN, FFN), m(HIDDEN)
        for ln in ("attention.output.LayerNorm", "output.LayerNorm"):
            w[f"{p}.{ln}.weight"], w[f"{p}.{ln}.bias"] = 1 + m(HIDDEN), m(HIDDEN)
    return w


def _rows(n: int, seed: int = 5) -> list[tuple[list[int], list[int]]]:
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(n):
        ctx, utt = int(rng.integers(0, 12)), int(rng.integers(1, 10))
        ids = [1, *rng.integers(4, VOCAB, ctx).tolist(), 2, *rng.integers(4, VOCAB, utt).tolist(), 2]
        rows.append((ids, [0] * (ctx + 2) + [1] * (utt + 1)))
    return rows


def _model(fused: bool = False, half: bool = True) -> onnx.ModelProto:
    rng = np.random.default_rng(7)
    heads = {"therapist": ((rng.standard_normal((4, HIDDEN)) * 0.5).astype(np.float32), np.zeros(4, np.float32))}
    return build_graph(_weights(), heads=HEADS, task_heads=heads, half=half, fused=fused)


def _run(model: onnx.ModelProto | bytes | str, rows) -> np.ndarray:
    data = model.SerializeToString() if isinstance(model, onnx.ModelProto) else model
    return session(data).run(["logits_therapist"], _feed(rows))[0]


def test_the_gelu_kernel_and_the_smoothing_change_nothing_in_float():
    rows = _rows(24)
    plain = _run(_model(), rows)
    fused = rebuild_fused(_model())
    assert any(n.op_type == "Gelu" for n in fused.graph.node)
    assert np.allclose(_run(fused, rows), plain, atol=1e-5)
    smoothed = smooth(rebuild_fused(_model()), _rows(64, seed=9), width=HIDDEN)
    # per layer: the Q/K/V input, the attention output's input and the FFN input (the wider FFN output is not)
    assert sum(n.name.endswith(".smooth") for n in smoothed.graph.node) == 3 * LAYERS
    assert np.allclose(_run(smoothed, rows), plain, atol=1e-4)


def test_float16_storage_of_the_embedding_table_is_exact_for_float16_values():
    model = rebuild_fused(_model())  # its tables came from float16-stored weights
    before = _run(model, _rows(8))
    halved = half_tables(model, least=1)
    assert any(i.data_type == onnx.TensorProto.FLOAT16 for i in halved.graph.initializer)
    assert np.array_equal(_run(halved, _rows(8)), before)


def test_the_int8_graph_stays_close_to_the_float_graph(tmp_path):
    rows = _rows(48)
    float_model = _model().SerializeToString()
    fused, int8 = quantize(float_model, _rows(64, seed=9), tmp_path, width=HIDDEN)
    ops = {n.op_type for n in onnx.load(str(int8)).graph.node}
    assert "DynamicQuantizeLinear" in ops or "DynamicQuantizeMatMul" in ops
    ref, got = _run(float_model, rows), _run(str(int8), rows)
    p, q = (np.exp(z - z.max(1, keepdims=True)) for z in (ref, got))
    p, q = p / p.sum(1, keepdims=True), q / q.sum(1, keepdims=True)
    assert np.abs(p - q).max() < 0.1 and (p.argmax(1) == q.argmax(1)).mean() >= 0.9


def test_matmuls_named_in_keep_float_stay_float(tmp_path):
    keep = tuple(f"encoder.layer.{i}.output.dense.weight.T" for i in range(LAYERS))
    _, int8 = quantize(_model().SerializeToString(), _rows(64, seed=9), tmp_path, width=HIDDEN, keep_float=keep)
    graph = onnx.load(str(int8)).graph
    floats = {i.name for i in graph.initializer if i.data_type == onnx.TensorProto.FLOAT}
    plain = [n for n in graph.node if n.op_type == "MatMul" and n.input[1] in floats]
    assert sorted(n.input[1] for n in plain if n.input[1].startswith("encoder.")) == sorted(keep)
    quantised = sum(n.op_type in ("MatMulInteger", "DynamicQuantizeMatMul") for n in graph.node)
    assert quantised == 5 * LAYERS + 1  # the other five per layer, and the task head


def _gate_report(same: float, set_change: float) -> dict:
    stats = {"largest_change": set_change}
    return {"decisions": {"threshold": {"same": same}, "strict": {"same": 0.9999}},
            "sets": {"risk_heldout_7": {"threshold": stats, "strict": {"largest_change": 0.0}}}}


def test_the_base_encoder_ship_gate_needs_both_decision_agreement_and_unchanged_sets():
    assert passes(_gate_report(0.9995, 0.0))
    assert not passes(_gate_report(0.994, 0.0))  # too many changed decisions overall
    assert not passes(_gate_report(0.9995, 1 / 97))  # one of set 7's 97 risk sentences lost: > MAX_SET_CHANGE
    assert MAX_SET_CHANGE == 0.01


def test_parallel_batches_come_back_in_input_order():
    model = base_model()  # float: a row's vector does not depend on the batch it ran in
    texts = [f"sentence number {k} " + "word " * (k % 17) for k in range(70)]  # 3 batches of 32 and a rest
    together = model.run(texts, ["embedding"])["embedding"]
    one_by_one = np.concatenate([model.run([t], ["embedding"])["embedding"] for t in texts])
    assert together.shape == (70, 384) and np.allclose(together, one_by_one, atol=1e-4)
