"""Themes by meaning across a client's sessions: clusters of similar client utterances (MiniLM vectors).

The lexicon themes (``themes.py``) find what their word lists name; these find what recurs in other words
("I can't switch off at night" and "lying awake again" land together). Client utterances with enough content
are encoded by the base sentence encoder (``encoder.py``, trained for similarity of meaning), grouped by
average-linkage clustering on cosine distance, and a cluster is a theme when it holds ``MIN_UTTERANCES`` or
more utterances from ``MIN_SESSIONS`` or more sessions. Each is labelled by the words most particular to it
(class-based TF-IDF against all the client's utterances) and keeps every utterance it rests on.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..domain import Role, Transcript
from .textcues import norm, quote
from .themes import _STOP, FIRST, RECURRING, Mention, ThemeTimeline, TimelineEntry

SOURCE = "themes-meaning-minilm-v1"
MIN_WORDS = 5  # shorter turns ("yeah, I guess") carry too little meaning to place
MAX_DISTANCE = 0.55  # average cosine distance inside a cluster (1 - similarity); chosen on project-written sessions
MIN_UTTERANCES = 3
MIN_SESSIONS = 2
LABEL_WORDS = 3
_WORD = re.compile(r"[a-z][a-z'-]+")


@dataclass(frozen=True, slots=True)
class _Item:
    session: str
    mention: Mention
    words: tuple[str, ...]
    text: str  # the whole utterance: the vector emotions already computed for it is reused


def _content_words(text: str) -> tuple[str, ...]:
    return tuple(w for w in _WORD.findall(norm(text).lower()) if len(w) > 2 and w not in _STOP)


def _items(transcripts: Sequence[tuple[str, Transcript]]) -> list[_Item]:
    out = []
    for label, t in transcripts:
        for u in t.utterances:
            words = _content_words(u.text or "")
            if u.role == Role.CLIENT and len(_WORD.findall((u.text or "").lower())) >= MIN_WORDS and words:
                out.append(_Item(label, Mention(u.id, u.role, u.start, u.end, (), quote(u.text)), words, u.text))
    return out


def _clusters(vectors: np.ndarray) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    if len(vectors) < 2:
        return np.zeros(len(vectors), int)
    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                    distance_threshold=MAX_DISTANCE)
    return model.fit_predict(vectors)


def _label(members: list[_Item], df: Counter, n_docs: int) -> tuple[str, ...]:
    """Words frequent in the cluster and rare in the client's other utterances (class-based TF-IDF)."""
    tf = Counter(w for it in members for w in set(it.words))
    score = {w: c * math.log(1 + n_docs / df[w]) for w, c in tf.items() if c >= 2}
    return tuple(w for w, _ in sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))[:LABEL_WORDS])


def meaning_themes(transcripts: Sequence[tuple[str, Transcript]]) -> list[ThemeTimeline]:
    """Recurring themes by meaning over (session label, transcript) pairs in session order."""
    from .encoder import encode

    items = _items(transcripts)
    if len(items) < MIN_UTTERANCES:
        return []
    labels = _clusters(encode([it.text for it in items]))
    df = Counter(w for it in items for w in set(it.words))
    order = [label for label, _ in transcripts]
    out = []
    for c in set(labels.tolist()):
        members = [it for it, lab in zip(items, labels, strict=True) if lab == c]
        sessions = {it.session for it in members}
        words = _label(members, df, len(items))
        if len(members) >= MIN_UTTERANCES and len(sessions) >= MIN_SESSIONS and words:
            out.append(_timeline(words, members, order))
    return sorted(out, key=lambda tl: (-tl.sessions_with_theme, -sum(e.mentions for e in tl.entries), tl.theme))


def _timeline(words: tuple[str, ...], members: list[_Item], order: list[str]) -> ThemeTimeline:
    entries, seen = [], False
    for session in order:
        here = tuple(it.mention for it in members if it.session == session)
        marker = None if not here else (RECURRING if seen else FIRST)
        seen = seen or bool(here)
        entries.append(TimelineEntry(session, len(here), marker, here))
    present = [e for e in entries if e.marker]
    name = "about: " + ", ".join(words)
    return ThemeTimeline(name, present[0].session, len(present), len(present) > 1, tuple(entries))


__all__ = ["SOURCE", "meaning_themes"]
