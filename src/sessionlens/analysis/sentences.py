"""Sentence splitting for the statement detectors (and the note prose built on their findings).

Quotes are normalised and transcription cues such as ``[laughs]`` dropped before splitting.
"""

from __future__ import annotations

import re

_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"'A-Z0-9\[])")
_CUE = re.compile(r"\[[^\]]{1,30}\]\s*")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def clean(text: str) -> str:
    """Normalise quotes, drop transcription cues like [laughs], collapse whitespace."""
    return " ".join(_CUE.sub("", text.translate(_QUOTES)).split())


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SPLIT.split(clean(text)) if s.strip()]
