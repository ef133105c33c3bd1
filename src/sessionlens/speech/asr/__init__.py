"""Speech recognition backends behind one small Protocol, chosen by name from a registry.

A backend turns speech audio (16 kHz mono float32, silence already removed by the VAD) into
segments with timed words. The pipeline maps times back to the session and applies the
hallucination guards (:mod:`.guards`), so every backend gets the same protection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ...domain import Word
from ...errors import InputError


@dataclass(frozen=True, slots=True)
class AsrSegment:
    """One decoded stretch with the decoder's own quality signals."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...]
    no_speech_prob: float = 0.0
    avg_logprob: float = 0.0
    compression_ratio: float = 1.0


class AsrBackend(Protocol):
    name: str
    model_name: str
    language: str | None

    def transcribe(self, audio: np.ndarray) -> list[AsrSegment]:
        """Segments with word times (seconds from the start of ``audio``)."""
        ...


BackendFactory = Callable[..., AsrBackend]
BACKENDS: dict[str, BackendFactory] = {}


def register_backend(name: str, factory: BackendFactory) -> None:
    BACKENDS[name] = factory


def create_backend(name: str = "faster-whisper", **options: object) -> AsrBackend:
    if not BACKENDS:
        from . import whisper  # noqa: F401  (registers the default backend)
    try:
        factory = BACKENDS[name]
    except KeyError:
        raise InputError(f"unknown speech recognition backend {name!r} (have: {', '.join(BACKENDS)})") from None
    return factory(**options)


__all__ = ["AsrBackend", "AsrSegment", "BACKENDS", "create_backend", "register_backend"]
