"""to_wav writes the WAV block by block: the same bytes as a whole-recording conversion, without its copies."""

from __future__ import annotations

import io
import wave

import numpy as np
import pytest

from sessionlens.errors import InputError
from sessionlens.ingest.audio import SAMPLE_RATE, iter_blocks, to_wav
from sessionlens.ingest.decoded import source_of


def _source(channels: int, seconds: float = 75.0, rate: int = 44100) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    tone = 0.3 * np.sin(2 * np.pi * 220 * t) + 0.05 * np.random.default_rng(1).standard_normal(t.size)
    data = np.stack([tone * (c + 1) / channels for c in range(channels)], axis=1)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels), w.setsampwidth(2), w.setframerate(rate)
        w.writeframes((np.clip(data, -1, 1) * 32767).astype("<i2").tobytes())
    return buf.getvalue()


def _whole(src: bytes) -> bytes:
    """The former conversion: every block concatenated, then converted at once."""
    data = np.concatenate(list(iter_blocks(src)), axis=1)
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(data.shape[0]), w.setsampwidth(2), w.setframerate(SAMPLE_RATE)
        w.writeframes((np.clip(data, -1.0, 1.0) * 32767.0).astype("<i2").T.tobytes())
    return out.getvalue()


@pytest.mark.parametrize("channels", [1, 2])
def test_block_by_block_is_byte_identical(channels: int) -> None:
    src = _source(channels)  # longer than one decode block
    got, whole = to_wav(src), _whole(src)
    # The same header and samples; the source's description follows the audio in a chunk of its own.
    assert got[8:len(whole)] == whole[8:]
    src_info = source_of(got)
    assert src_info is not None
    assert (src_info.sample_rate, src_info.channels, src_info.codec, src_info.has_video) == (44100, channels,
                                                                                            "pcm_s16le", False)
    with wave.open(io.BytesIO(got)) as w:
        assert w.getnchannels() == channels and w.getframerate() == SAMPLE_RATE
        assert abs(w.getnframes() / SAMPLE_RATE - 75.0) < 0.05


def test_nothing_decodable_is_a_one_line_input_error() -> None:
    with pytest.raises(InputError):
        to_wav(b"RIFF\x00\x00\x00\x00WAVEfmt " + b"\x00" * 64)
