"""Sentence encoder (all-MiniLM-L6-v2 as an ONNX graph) run by onnxruntime, with a per-session vector cache.

``encode(texts)`` returns mean-pooled, L2-normalised float32 vectors (n x 384), the vectors the MiniLM model
was trained to compare by meaning (themes use them). The model and its tokenizer ship in
``sessionlens/models/encoder`` and are read only through the hash-checked loader: no torch, no download.

``TextModel`` is the shared runner: it tokenizes single texts or (context, text) pairs with dynamic padding and
returns any named graph outputs, so the fine-tuned coding/emotion models (same architecture plus heads) reuse it.

Parallelism is across batches, not inside one: each session runs one onnxruntime thread and ``threads()`` batches
run at once. On this shared 2-core machine onnxruntime's own two intra-op threads (which meet at every node) made
the coding encoder twice as slow in wall time whenever another process held a core; whole batches on separate
threads lose only what the other process takes.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..artifacts import ManifestDir, models_dir

MODEL_FILES = ("model.onnx", "tokenizer.json")
BATCH = 32


@dataclass
class TextModel:
    """A hash-checked ONNX text model and its tokenizer; ``run`` returns the requested outputs in input order."""

    session: Any  # onnxruntime.InferenceSession
    tokenizer: Any  # tokenizers.Tokenizer
    meta: dict[str, Any]  # raw JSON boundary: the model artifact's manifest as shipped
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def run(self, texts: Sequence[str], outputs: Sequence[str]) -> dict[str, np.ndarray]:
        """Single texts ([CLS] text [SEP])."""
        with self.lock:  # the tokenizer's truncation settings are shared state
            enc = self.tokenizer.encode_batch(list(texts))
        return self.run_ids([(e.ids, e.type_ids) for e in enc], outputs)

    def run_ids(self, rows: Sequence[tuple[Sequence[int], Sequence[int]]],
                outputs: Sequence[str]) -> dict[str, np.ndarray]:
        """Already tokenized rows of (token ids, token type ids), e.g. built (context, utterance) pairs."""
        if not rows:
            return {name: np.zeros((0, 0), np.float32) for name in outputs}
        order = np.argsort([len(r[0]) for r in rows], kind="stable")  # similar lengths together: less padding
        size = max(1, min(BATCH, -(-len(rows) // threads())))  # a few rows still split across the cores
        feeds = [_feed([rows[i] for i in order[start:start + size]]) for start in range(0, len(order), size)]
        names = list(outputs)
        results = _pool().map(lambda feed: self.session.run(names, feed), feeds) if len(feeds) > 1 \
            else [self.session.run(names, feeds[0])]
        parts: dict[str, list[np.ndarray]] = {name: [] for name in outputs}
        for result in results:  # map keeps the batches' order
            for name, value in zip(outputs, result, strict=True):
                parts[name].append(value)
        inverse = np.empty_like(order)
        inverse[order] = np.arange(len(order))
        return {name: np.concatenate(values)[inverse].astype(np.float32) for name, values in parts.items()}


def _feed(batch: Sequence[tuple[Sequence[int], Sequence[int]]]) -> dict[str, np.ndarray]:
    width = max(len(ids) for ids, _ in batch)
    feed = {k: np.zeros((len(batch), width), np.int64) for k in ("input_ids", "attention_mask", "token_type_ids")}
    for row, (ids, types) in enumerate(batch):
        n = len(ids)
        feed["input_ids"][row, :n] = ids
        feed["attention_mask"][row, :n] = 1
        feed["token_type_ids"][row, :n] = types
    return feed


def threads() -> int:
    """Batches run at once: the machine's cores, at most 4 (the model is small)."""
    return max(1, min(4, os.cpu_count() or 1))


_POOLS: dict[int, ThreadPoolExecutor] = {}
_POOLS_LOCK = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    """One pool per process (a forked worker must not use its parent's, whose threads did not fork)."""
    pid = os.getpid()
    with _POOLS_LOCK:
        if pid not in _POOLS:
            _POOLS.clear()
            _POOLS[pid] = ThreadPoolExecutor(threads(), thread_name_prefix="sessionlens-encoder")
        return _POOLS[pid]


def load_text_model(directory: Path, what: str, truncate: bool = True) -> TextModel:
    """Verify ``directory`` against its manifest and build the session from the verified bytes.

    ``truncate=False`` for models whose caller cuts the tokens itself (the (context, utterance) pairs)."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    artifact = ManifestDir.open(directory, what)
    files = artifact.read_all(MODEL_FILES)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1  # parallel batches instead (module docstring)
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # shape-merge notices are noise to a user
    session = ort.InferenceSession(files["model.onnx"], options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_str(files["tokenizer.json"].decode("utf-8"))
    if truncate:
        tokenizer.enable_truncation(int(artifact.manifest.get("max_tokens", 128)))
    else:
        tokenizer.no_truncation()
    tokenizer.no_padding()
    return TextModel(session, tokenizer, artifact.manifest)


@lru_cache(maxsize=1)
def base_model() -> TextModel:
    return load_text_model(models_dir("encoder"), "sentence encoder")


class VectorCache:
    """In-memory (never on disk) LRU of vectors by (model, text[, context]): within a session each utterance is
    encoded once, and every analyzer asking for it gets the same vector."""

    def __init__(self, capacity: int = 8192):
        self.capacity = capacity
        self.items: OrderedDict[Hashable, np.ndarray] = OrderedDict()
        self.lock = threading.Lock()
        self.misses = 0

    def get_many(self, keys: Sequence[Hashable], compute) -> np.ndarray:
        with self.lock:
            missing = list(dict.fromkeys(k for k in keys if k not in self.items))
        if missing:
            self.misses += len(missing)
            fresh = compute(missing)
            with self.lock:
                for key, vec in zip(missing, fresh, strict=True):
                    self.items[key] = vec
                    self.items.move_to_end(key)
                while len(self.items) > self.capacity:
                    self.items.popitem(last=False)
        with self.lock:
            found = [self.items[k] if k in self.items else None for k in keys]
        vecs = [v for v in found if v is not None]
        if len(vecs) < len(found):  # evicted meanwhile by a very large batch: compute directly
            return compute(list(keys))
        return np.stack(vecs) if vecs else np.zeros((0, 0), np.float32)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


CACHE = VectorCache()


def encode(texts: Sequence[str]) -> np.ndarray:
    """Mean-pooled, L2-normalised MiniLM vectors (len(texts) x 384, float32), cached per text."""
    if not texts:
        return np.zeros((0, dimension()), np.float32)
    model = base_model()
    return CACHE.get_many([("base", t) for t in texts],
                          lambda keys: model.run([k[1] for k in keys], ["embedding"])["embedding"])


def dimension() -> int:
    return int(base_model().meta.get("dimension", 384))


__all__ = ["CACHE", "TextModel", "VectorCache", "base_model", "dimension", "encode", "load_text_model"]
