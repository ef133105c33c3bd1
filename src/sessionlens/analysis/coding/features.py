"""Turn a session (a sequence of role + text turns) into feature rows for the coders.

One row per utterance of the coded role: TF-IDF word and character n-grams of the utterance,
word n-grams of its neighbours (the previous and next turns, which carry most of the context a
human coder uses), named cue counts and a few structural numbers. The same code runs in training
(``training/train_coding.py``) and at inference, so the shipped model and the benchmark agree.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from sessionlens.analysis.coding.cues import AUX_START as _AUX
from sessionlens.analysis.coding.cues import CLIENT_CUES, THERAPIST_CUES
from sessionlens.analysis.coding.cues import WH_START as _WH

MAX_CHARS = 1500  # longer turns are truncated for features: the opening carries the code, and cost stays bounded
TOKEN_PATTERN = r"(?u)\b\w[\w']*\b|\?"
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Turn:
    """The part of an utterance the coders read."""

    role: str  # "therapist" | "client" | "other"
    text: str


def clean(text: str) -> str:
    """Lower-case, normalise quotes and whitespace, bound the length."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return _SPACE.sub(" ", text.lower()).strip()[:MAX_CHARS]


def cue_hits(text: str, role: str) -> dict[str, int]:
    """Count of each named cue in already-cleaned text."""
    cues = THERAPIST_CUES if role == "therapist" else CLIENT_CUES
    return {name: len(rx.findall(text)) for name, rx in cues.items()}


def structure(text: str) -> dict[str, float]:
    words = text.split()
    n = len(words)
    return {
        "log_words": math.log1p(n),
        "qmarks": min(text.count("?"), 3) / 3,
        "ends_q": float(text.rstrip(" .\"'").endswith("?")),
        "wh_start": float(bool(_WH.search(text))),
        "aux_start": float(bool(_AUX.search(text))),
        "last_wh": float(bool(_WH.search(_last_sentence(text)))),
        "last_aux": float(bool(_AUX.search(_last_sentence(text)))),
        "you_ratio": sum(w.strip(",.?!") in _YOU for w in words) / max(n, 1),
        "i_ratio": sum(w.strip(",.?!") in _I for w in words) / max(n, 1),
        "short": float(n <= 3),
        "empty": float(n == 0),
        "non_ascii": sum(ord(c) > 127 for c in text) / max(len(text), 1),
    }


_YOU = {"you", "you're", "your", "you've", "yourself", "you'd", "you'll"}
_I = {"i", "i'm", "my", "me", "i've", "i'd", "i'll", "myself"}
_SENT = re.compile(r"(?<=[.?!])\s+")


def _last_sentence(text: str) -> str:
    parts = [p for p in _SENT.split(text) if p.strip()]
    return parts[-1] if parts else ""


def dense_names(role: str) -> list[str]:
    cues = THERAPIST_CUES if role == "therapist" else CLIENT_CUES
    own = [f"cue:{c}" for c in cues] + [f"shape:{s}" for s in structure("")]
    ctx = [f"prev_cue:{c}" for c in (CLIENT_CUES if role == "therapist" else THERAPIST_CUES)]
    ctx += ["prev_shape:log_words", "prev_shape:ends_q", "prev_same_role", "next_same_role", "position",
            "first_turns"]
    return own + ctx


def dense_row(turns: Sequence[Turn], texts: Sequence[str], i: int) -> list[float]:
    """Cue counts (squashed), structure of this turn, and of the previous turn."""
    role = turns[i].role
    own = [min(v, 3) / 3 for v in cue_hits(texts[i], role).values()] + list(structure(texts[i]).values())
    other = "client" if role == "therapist" else "therapist"
    prev = texts[i - 1] if i > 0 else ""
    prev_shape = structure(prev)
    ctx = [min(v, 3) / 3 for v in cue_hits(prev, other).values()]
    ctx += [prev_shape["log_words"], prev_shape["ends_q"],
            float(i > 0 and turns[i - 1].role == role),
            float(i + 1 < len(turns) and turns[i + 1].role == role),
            i / max(len(turns) - 1, 1), float(i < 4)]
    return own + ctx


BLOCKS = ("word", "char", "prev", "next")


def _vectorizer(block: str, vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    if block == "char":
        return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3, sublinear_tf=True,
                               max_features=40000, lowercase=False, vocabulary=vocabulary, dtype=np.float32)
    ngram = (1, 1) if block == "next" else (1, 2)
    return TfidfVectorizer(token_pattern=TOKEN_PATTERN, ngram_range=ngram, min_df=2, sublinear_tf=True,
                           max_features=30000, lowercase=False, vocabulary=vocabulary, dtype=np.float32)


def block_docs(turns: Sequence[Turn], texts: Sequence[str], idx: Sequence[int]) -> dict[str, list[str]]:
    """The text each vectorizer block reads, for the rows ``idx``."""
    n = len(turns)
    return {
        "word": [texts[i] for i in idx],
        "char": [texts[i] for i in idx],
        "prev": [texts[i - 1] if i > 0 else "" for i in idx],
        "next": [texts[i + 1] if i + 1 < n else "" for i in idx],
    }


class Featurizer:
    """Fitted TF-IDF vocabularies plus the dense features, for one role's coder.

    ``weights`` scales each block so no block drowns the others; the state is plain lists and
    arrays (see :meth:`state`) so the shipped artifact needs no pickle.
    """

    def __init__(self, role: str, weights: dict[str, float] | None = None) -> None:
        self.role = role
        self.weights = weights or {"word": 1.0, "char": 1.0, "prev": 0.6, "next": 0.4, "dense": 1.0}
        self.vectorizers: dict[str, TfidfVectorizer] = {}

    def fit(self, docs: dict[str, list[str]]) -> Featurizer:
        for block in BLOCKS:
            self.vectorizers[block] = _vectorizer(block).fit(docs[block])
        return self

    def transform(self, docs: dict[str, list[str]], dense: np.ndarray) -> sp.csr_matrix:
        mats = [self.vectorizers[b].transform(docs[b]) * self.weights[b] for b in BLOCKS]
        mats.append(sp.csr_matrix(dense.astype(np.float32) * self.weights["dense"]))
        return sp.hstack(mats, format="csr")

    def names(self) -> list[str]:
        out: list[str] = []
        for b in BLOCKS:
            out += [f"{b}:{t}" for t in self.vectorizers[b].get_feature_names_out()]
        return out + dense_names(self.role)

    def state(self) -> tuple[dict, dict[str, np.ndarray]]:
        """JSON-able metadata and arrays that rebuild this featurizer exactly."""
        meta = {"role": self.role, "weights": self.weights,
                "vocab": {b: self.vectorizers[b].get_feature_names_out().tolist() for b in BLOCKS}}
        arrays = {f"idf_{b}": self.vectorizers[b].idf_.astype(np.float64) for b in BLOCKS}
        return meta, arrays

    @classmethod
    def from_state(cls, meta: dict, arrays: dict[str, np.ndarray]) -> Featurizer:
        self = cls(meta["role"], meta["weights"])
        for b in BLOCKS:
            vocab = {t: j for j, t in enumerate(meta["vocab"][b])}
            vec = _vectorizer(b, vocabulary=vocab)
            vec._validate_vocabulary()
            vec.idf_ = arrays[f"idf_{b}"]
            self.vectorizers[b] = vec
        return self


def session_rows(turns: Sequence[Turn], role: str) -> tuple[list[int], dict[str, list[str]], np.ndarray]:
    """Indices of ``role`` turns, their block documents and dense rows."""
    texts = [clean(t.text) for t in turns]
    idx = [i for i, t in enumerate(turns) if t.role == role]
    docs = block_docs(turns, texts, idx)
    width = len(dense_names(role))
    dense = np.array([dense_row(turns, texts, i) for i in idx], dtype=np.float32).reshape(len(idx), width)
    return idx, docs, dense
