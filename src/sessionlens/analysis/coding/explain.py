"""Say which features decided a linear code, in words a clinician can check."""

from __future__ import annotations

import numpy as np

_BLOCK_WORDS = {
    "word": "words",
    "prev": "previous turn",
    "next": "next turn",
    "cue": "cue",
    "shape": "form",
    "prev_cue": "previous turn cue",
    "prev_shape": "previous turn form",
}
_SHAPE_WORDS = {
    "qmarks": "question mark", "ends_q": "ends with '?'", "wh_start": "starts with a wh-word",
    "aux_start": "starts like a yes/no question", "last_wh": "last sentence a wh-question",
    "last_aux": "last sentence a yes/no question", "you_ratio": "second person", "i_ratio": "first person",
    "short": "very short", "empty": "empty", "log_words": "length", "non_ascii": "non-Latin text",
    "prev_same_role": "same speaker before", "next_same_role": "same speaker after",
    "position": "place in session", "first_turns": "opening of session",
}


def readable(name: str) -> str | None:
    """A feature name as words, or None for features that mean nothing to a reader (char n-grams)."""
    block, _, term = name.partition(":")
    if block == "char":
        return None
    if block in ("shape", "prev_shape") or name in _SHAPE_WORDS:
        label = _SHAPE_WORDS.get(term, _SHAPE_WORDS.get(name, term))
        return label if block != "prev_shape" else f"previous turn: {label}"
    if block in ("cue", "prev_cue"):
        return f"{_BLOCK_WORDS[block]} '{term.replace('_', ' ')}'"
    if block in _BLOCK_WORDS:
        return f"{_BLOCK_WORDS[block]} \"{term}\""
    return _SHAPE_WORDS.get(name, name)


def top_features(row, coef: np.ndarray, cls: int, names: tuple[str, ...], k: int = 4) -> list[str]:
    """The k readable features pushing most towards class ``cls`` against the other classes."""
    idx, vals = row.indices, row.data
    if len(idx) == 0:
        return []
    w = coef[:, idx]
    margin = w[cls] - (w.sum(axis=0) - w[cls]) / max(coef.shape[0] - 1, 1)
    contrib = vals * margin
    out: list[str] = []
    for j in np.argsort(-contrib):
        if contrib[j] <= 0 or len(out) >= k:
            break
        text = readable(names[idx[j]])
        if text and text not in out:
            out.append(text)
    return out
