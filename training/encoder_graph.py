"""BERT (MiniLM) weights -> an ONNX graph, built with the ``onnx`` helper API (no torch), plus a numpy reference.

The graph takes ``input_ids``, ``attention_mask`` and ``token_type_ids`` (int64, batch x length, any length up to
512) and returns ``embedding``: the attention-masked mean of the last layer, L2-normalised (what
sentence-transformers' all-MiniLM-L6-v2 does). With ``heads`` (name -> (weight, bias)), it also returns
``logits_<name>`` = (mean of the second segment's token vectors) @ weight.T + bias, for the fine-tuned models.

``numpy_forward`` is the same computation written plainly in numpy, to check the graph against.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17  # LayerNormalization is in 17; onnxruntime 1.32 runs it natively
EPS = 1e-12


def layer_count(weights: Mapping[str, np.ndarray]) -> int:
    return 1 + max(int(k.split(".")[2]) for k in weights if k.startswith("encoder.layer."))


class _Graph:
    def __init__(self, weights: Mapping[str, np.ndarray], half: bool = False, fused: bool = False):
        self.w = weights
        self.half = half  # store matrices as float16 (half the size); a Cast (folded at load) computes in float32
        # onnxruntime's GELU kernel (com.microsoft domain) in place of five elementwise nodes over the 1536-wide
        # activations: the same function; once the MatMuls were int8 those passes cost ~14% of the CPU time.
        # (Its MultiHeadAttention kernel was tried as well: no faster here than the plain nodes.)
        self.fused = fused
        self.nodes: list[onnx.NodeProto] = []
        self.inits: dict[str, onnx.TensorProto | None] = {}
        self.n = 0

    def init(self, name: str, value: np.ndarray) -> str:
        if name not in self.inits:
            self.inits[name] = numpy_helper.from_array(np.ascontiguousarray(value), name)
        return name

    def weight(self, key: str, transpose: bool = False) -> str:
        value = np.asarray(self.w[key], dtype=np.float32)
        name = key + (".T" if transpose else "")
        if not (self.half and value.ndim == 2):
            return self.init(name, value.T if transpose else value)
        if name not in self.inits:
            self.init(name + ".f16", (value.T if transpose else value).astype(np.float16))
            self.nodes.append(helper.make_node("Cast", [name + ".f16"], [name], name=name + ".cast",
                                               to=TensorProto.FLOAT))
            self.inits[name] = None  # produced by the Cast above
        return name

    def op(self, op_type: str, inputs: list[str], **attrs) -> str:
        self.n += 1
        out = f"{op_type.lower()}_{self.n}"
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=out, **attrs))
        return out

    def linear(self, x: str, prefix: str) -> str:
        return self.op("Add", [self.op("MatMul", [x, self.weight(prefix + ".weight", True)]),
                               self.weight(prefix + ".bias")])

    def layer_norm(self, x: str, prefix: str) -> str:
        return self.op("LayerNormalization", [x, self.weight(prefix + ".weight"), self.weight(prefix + ".bias")],
                       axis=-1, epsilon=EPS)

    def gelu(self, x: str) -> str:  # exact (erf) GELU, as BERT uses
        if self.fused:
            return self.op("Gelu", [x], domain="com.microsoft")
        half = self.init("c.half", np.array(0.5, np.float32))
        one = self.init("c.one", np.array(1.0, np.float32))
        inv_sqrt2 = self.init("c.inv_sqrt2", np.array(1 / math.sqrt(2), np.float32))
        erf = self.op("Erf", [self.op("Mul", [x, inv_sqrt2])])
        return self.op("Mul", [self.op("Mul", [x, half]), self.op("Add", [erf, one])])


def _attention(g: _Graph, x: str, bias: str, prefix: str, heads: int, hidden: int) -> str:
    head_dim = hidden // heads
    split = g.init("c.split_shape", np.array([0, 0, heads, head_dim], np.int64))
    merge = g.init("c.merge_shape", np.array([0, 0, hidden], np.int64))

    def project(name: str, perm: list[int]) -> str:
        y = g.op("Reshape", [g.linear(x, f"{prefix}.self.{name}"), split])
        return g.op("Transpose", [y], perm=perm)

    q = project("query", [0, 2, 1, 3])
    k = project("key", [0, 2, 3, 1])
    v = project("value", [0, 2, 1, 3])
    scale = g.init("c.scale", np.array(1 / math.sqrt(head_dim), np.float32))
    scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, k]), scale]), bias])
    ctx = g.op("MatMul", [g.op("Softmax", [scores], axis=-1), v])
    ctx = g.op("Reshape", [g.op("Transpose", [ctx], perm=[0, 2, 1, 3]), merge])
    return g.layer_norm(g.op("Add", [x, g.linear(ctx, f"{prefix}.output.dense")]), f"{prefix}.output.LayerNorm")


def _layer(g: _Graph, x: str, bias: str, i: int, heads: int, hidden: int) -> str:
    p = f"encoder.layer.{i}"
    x = _attention(g, x, bias, f"{p}.attention", heads, hidden)
    h = g.gelu(g.linear(x, f"{p}.intermediate.dense"))
    return g.layer_norm(g.op("Add", [x, g.linear(h, f"{p}.output.dense")]), f"{p}.output.LayerNorm")


def _embeddings(g: _Graph) -> str:
    ids, tt = "input_ids", "token_type_ids"
    words = g.op("Gather", [g.weight("embeddings.word_embeddings.weight"), ids])
    types = g.op("Gather", [g.weight("embeddings.token_type_embeddings.weight"), tt])
    # position ids 0..L-1 per row, as a cumulative sum of ones (no Range/scalar shape arithmetic)
    ones = g.op("ConstantOfShape", [g.op("Shape", [ids])], value=numpy_helper.from_array(np.array([1], np.int64)))
    positions = g.op("Sub", [g.op("CumSum", [ones, g.init("c.one_i", np.array(1, np.int64))]),
                             g.init("c.step_i", np.array(1, np.int64))])
    pos = g.op("Gather", [g.weight("embeddings.position_embeddings.weight"), positions])
    return g.layer_norm(g.op("Add", [g.op("Add", [words, types]), pos]), "embeddings.LayerNorm")


def _mean_pool(g: _Graph, x: str, maskf: str) -> str:
    m = g.op("Unsqueeze", [maskf, g.init("c.axis_last", np.array([-1], np.int64))])
    summed = g.op("ReduceSum", [g.op("Mul", [x, m]), g.init("c.axis1", np.array([1], np.int64))], keepdims=0)
    count = g.op("ReduceSum", [maskf, g.init("c.axis1", np.array([1], np.int64))], keepdims=1)
    count = g.op("Max", [count, g.init("c.tiny", np.array(1e-9, np.float32))])
    return g.op("Div", [summed, count])


def build_graph(weights: Mapping[str, np.ndarray], heads: int = 12,
                task_heads: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = None,
                half: bool = False, fused: bool = False) -> onnx.ModelProto:
    """The encoder (and optional linear task heads on its mean-pooled vector) as an ONNX model.

    ``fused`` uses onnxruntime's contrib Gelu kernel (the same outputs to float rounding; such a graph runs on
    onnxruntime only, the one runtime here)."""
    g = _Graph(weights, half, fused)
    hidden = int(weights["embeddings.word_embeddings.weight"].shape[1])
    maskf = g.op("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    # (B, 1, 1, L) additive bias: 0 where attended, -10000 on padding (BERT's convention)
    bias = g.op("Unsqueeze", [maskf, g.init("c.axes12", np.array([1, 2], np.int64))])
    bias = g.op("Mul", [g.op("Sub", [bias, g.init("c.one", np.array(1.0, np.float32))]),
                        g.init("c.big", np.array(10000.0, np.float32))])
    x = _embeddings(g)
    for i in range(layer_count(weights)):
        x = _layer(g, x, bias, i, heads, hidden)
    pooled = _mean_pool(g, x, maskf)
    norm = g.op("Max", [g.op("ReduceL2", [pooled], axes=[-1], keepdims=1),
                        g.init("c.tiny", np.array(1e-9, np.float32))])
    g.nodes.append(helper.make_node("Div", [pooled, norm], ["embedding"]))
    outputs = [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", hidden])]
    if task_heads:  # heads read the mean of the second segment (the utterance of a (context, utterance) pair)
        seg = g.op("Cast", [g.op("Mul", ["attention_mask", "token_type_ids"])], to=TensorProto.FLOAT)
        utterance = _mean_pool(g, x, seg)
    for name, (w, b) in (task_heads or {}).items():
        g.init(f"head.{name}.weight.T", np.asarray(w, np.float32).T)
        g.init(f"head.{name}.bias", np.asarray(b, np.float32))
        mm = g.op("MatMul", [utterance, f"head.{name}.weight.T"])
        g.nodes.append(helper.make_node("Add", [mm, f"head.{name}.bias"], [f"logits_{name}"], name=f"head_{name}"))
        outputs.append(helper.make_tensor_value_info(f"logits_{name}", TensorProto.FLOAT, ["batch", len(b)]))
    inputs = [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "length"])
              for n in ("input_ids", "attention_mask", "token_type_ids")]
    graph = helper.make_graph(g.nodes, "minilm_encoder", inputs, outputs, [t for t in g.inits.values() if t])
    opsets = [helper.make_opsetid("", OPSET)] + ([helper.make_opsetid("com.microsoft", 1)] if fused else [])
    model = helper.make_model(graph, opset_imports=opsets, producer_name="sessionlens-training")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


# --- numpy reference -------------------------------------------------------------------------------------------

def _ln(x: np.ndarray, w: Mapping[str, np.ndarray], prefix: str) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + EPS) * w[prefix + ".weight"] + w[prefix + ".bias"]


def _lin(x: np.ndarray, w: Mapping[str, np.ndarray], prefix: str) -> np.ndarray:
    return x @ w[prefix + ".weight"].T + w[prefix + ".bias"]


def numpy_forward(w: Mapping[str, np.ndarray], ids: np.ndarray, mask: np.ndarray, tt: np.ndarray,
                  heads: int = 12) -> np.ndarray:
    """float64 reference of ``build_graph``'s ``embedding`` output."""
    from scipy.special import erf

    w = {k: np.asarray(v, np.float64) for k, v in w.items()}
    b, length = ids.shape
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.token_type_embeddings.weight"][tt]
    x = _ln(x + w["embeddings.position_embeddings.weight"][:length], w, "embeddings.LayerNorm")
    hidden = x.shape[-1]
    d = hidden // heads
    bias = (mask[:, None, None, :] - 1.0) * 10000.0
    for i in range(layer_count(w)):
        p = f"encoder.layer.{i}"

        def split(name: str, x: np.ndarray = x, p: str = p) -> np.ndarray:
            return _lin(x, w, f"{p}.attention.self.{name}").reshape(b, length, heads, d).transpose(0, 2, 1, 3)

        s = split("query") @ split("key").transpose(0, 1, 3, 2) / math.sqrt(d) + bias
        s = np.exp(s - s.max(-1, keepdims=True))
        ctx = ((s / s.sum(-1, keepdims=True)) @ split("value")).transpose(0, 2, 1, 3).reshape(b, length, hidden)
        x = _ln(x + _lin(ctx, w, f"{p}.attention.output.dense"), w, f"{p}.attention.output.LayerNorm")
        h = _lin(x, w, f"{p}.intermediate.dense")
        h = 0.5 * h * (1 + erf(h / math.sqrt(2)))
        x = _ln(x + _lin(h, w, f"{p}.output.dense"), w, f"{p}.output.LayerNorm")
    m = mask[..., None].astype(np.float64)
    pooled = (x * m).sum(1) / np.maximum(m.sum(1), 1e-9)
    return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
