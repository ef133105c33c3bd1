"""Bounded-memory processing: cut the decoded stream into chunks at quiet moments.

The VAD runs over the whole stream as it is decoded; a chunk is cut once about ``chunk_seconds``
are buffered, at the quietest point of its last ``search_seconds`` so that no word is split.
Only one chunk (plus one decoding block) is ever held in memory, whatever the file's length.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from ..ingest.audio import SAMPLE_RATE
from .vad import FRAME, SileroVad

SMOOTH_FRAMES = 10  # 320 ms: a cut needs a pause, not one quiet frame


@dataclass(frozen=True, slots=True)
class Chunk:
    offset: float  # seconds from the start of the session
    audio: np.ndarray  # (channels, n) float32, 16 kHz
    probs: np.ndarray  # VAD speech probability per 32 ms frame of ``audio``

    @property
    def mono(self) -> np.ndarray:
        return self.audio[0] if self.audio.shape[0] == 1 else self.audio.mean(axis=0)

    @property
    def duration(self) -> float:
        return self.audio.shape[1] / SAMPLE_RATE


def cut_frame(probs: np.ndarray, chunk_frames: int, search_frames: int) -> int:
    """Index of the frame where to cut: the quietest stretch in the search window."""
    lo = max(1, chunk_frames - search_frames)
    hi = min(len(probs), chunk_frames)
    if hi <= lo:
        return hi
    kernel = np.ones(SMOOTH_FRAMES) / SMOOTH_FRAMES
    smooth = np.convolve(probs, kernel, mode="same")
    return lo + int(np.argmin(smooth[lo:hi]))


def iter_chunks(blocks: Iterable[np.ndarray], vad: SileroVad, chunk_seconds: float = 60.0,
                search_seconds: float = 15.0) -> Iterator[Chunk]:
    """Chunks of a stream of (channels, n) blocks, each with its VAD probabilities."""
    chunk_frames = int(chunk_seconds * SAMPLE_RATE / FRAME)
    search_frames = int(search_seconds * SAMPLE_RATE / FRAME)
    audio: np.ndarray | None = None
    probs = np.zeros(0, np.float32)
    start = 0  # samples, always a multiple of FRAME so frames and samples stay aligned
    for block in blocks:
        mono = block[0] if block.shape[0] == 1 else block.mean(axis=0)
        probs = np.concatenate([probs, vad.feed(mono)])
        audio = block if audio is None else np.concatenate([audio, block], axis=1)
        while len(probs) > chunk_frames + SMOOTH_FRAMES:
            cut = cut_frame(probs, chunk_frames, search_frames)
            yield Chunk(start / SAMPLE_RATE, audio[:, : cut * FRAME], probs[:cut])
            audio, probs = audio[:, cut * FRAME:], probs[cut:]
            start += cut * FRAME
    if audio is not None and audio.shape[1]:
        probs = np.concatenate([probs, vad.flush()])
        yield Chunk(start / SAMPLE_RATE, audio, probs[: int(np.ceil(audio.shape[1] / FRAME))])


__all__ = ["Chunk", "cut_frame", "iter_chunks"]
