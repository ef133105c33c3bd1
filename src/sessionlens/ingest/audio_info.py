"""What a container says about its first audio stream (shared by the decoder and what reads its answer)."""

from __future__ import annotations

from dataclasses import dataclass

MAX_CHANNELS_KEPT = 2


@dataclass(frozen=True, slots=True)
class AudioInfo:
    """What the container says about its first audio stream."""

    duration: float | None  # seconds, None when the container does not know
    sample_rate: int  # of the source, before resampling
    channels: int  # kept channels after decoding: 1, or 2 for stereo
    codec: str
    has_video: bool


__all__ = ["AudioInfo", "MAX_CHANNELS_KEPT"]
