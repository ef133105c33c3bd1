"""What the sandboxed decoder sends back, read here: the recording's description, then 16 kHz PCM blocks.

The process that holds keys never opens an upload with FFmpeg. The keyless child decodes it
(:func:`sessionlens.ingest.audio.pcm16_blocks`) and answers with a description of the source (sample
rate, codec, channels, video, duration) followed by 16-bit PCM blocks. Here they become either

* a :class:`DecodedStream` — float blocks consumed as they come, so transcription never holds the whole
  recording (3 h of 16 kHz mono is 345 MB as 16-bit PCM); or
* a plain WAV (:func:`sessionlens.ingest.audio.wav_from`) for the short paths (voice enrolment), with the
  description appended as a RIFF chunk of its own (``slsr``; FFmpeg skips unknown chunks), because probing a
  16 kHz WAV would say "16 kHz, pcm_s16le" and drop the narrowband caveat of an 8 kHz phone call.

The child is untrusted: a description that does not hold up (types, bounds, size) is ignored, never
trusted and never raised on; a malformed PCM block is a one-line InputError.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeGuard

import numpy as np

from ..errors import InputError
from .audio_info import MAX_CHANNELS_KEPT, AudioInfo

CHUNK_ID = b"slsr"
_MAX_DESCRIPTION = 512  # a few short fields; anything larger is not ours
_MAX_RATE = 1_000_000
_MAX_CODEC = 32


def info_block(info: AudioInfo) -> bytes:
    """The source description as the child sends it ahead of the audio blocks (leading byte 0: not audio)."""
    return b"\x00" + json.dumps({"sample_rate": info.sample_rate, "codec": info.codec, "channels": info.channels,
                                 "had_video": info.has_video, "duration": info.duration}).encode()


def parse_info(body: bytes) -> AudioInfo | None:
    """An :func:`info_block`'s body (without the leading byte) as AudioInfo, or None when it does not hold up."""
    if len(body) > _MAX_DESCRIPTION:
        return None
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(doc, dict):
        return None
    rate, codec, channels = doc.get("sample_rate"), doc.get("codec"), doc.get("channels")
    video, duration = doc.get("had_video"), doc.get("duration")
    if not (_whole(rate) and 0 <= rate <= _MAX_RATE and _whole(channels) and channels in (1, MAX_CHANNELS_KEPT)):
        return None
    if not (isinstance(codec, str) and len(codec) <= _MAX_CODEC and codec.isprintable()) or not isinstance(video, bool):
        return None
    if duration is not None and not (isinstance(duration, (int, float)) and not isinstance(duration, bool)
                                     and math.isfinite(duration) and duration >= 0):
        return None
    return AudioInfo(None if duration is None else float(duration), rate, channels, codec, video)


def _whole(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


# --- a stream of blocks ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DecodedStream:
    """A recording as the sandboxed decoder sends it: its description, then (channels, n) float32 blocks at
    16 kHz, decoded while they are consumed (iterate ``blocks`` once)."""

    info: AudioInfo
    blocks: Iterator[np.ndarray]


def decoded_stream(messages: Iterable[bytes], label: str = "audio") -> DecodedStream:
    """Read the child's description (the first message), then hand out its PCM blocks as floats."""
    it = iter(messages)
    first = next(it, None)
    info = parse_info(bytes(first[1:])) if first is not None and first[:1] == b"\x00" else None
    if info is None:
        raise InputError("the decoder did not describe the recording", source=label)
    return DecodedStream(info, _float_blocks(it, info.channels, label))


def _float_blocks(messages: Iterator[bytes], channels: int, label: str) -> Iterator[np.ndarray]:
    got = False
    for block in messages:
        pcm = memoryview(block)[1:]
        if block[0] != channels or len(pcm) % (2 * channels):
            raise InputError("the decoder sent a block that is not audio", source=label)
        got = True
        yield (np.frombuffer(pcm, "<i2").reshape(-1, channels).T / 32767.0).astype(np.float32)
    if not got:
        raise InputError("no audio could be decoded", source=label)


# --- the description inside a WAV ------------------------------------------------------------------------

def chunk_from_block(block: bytes) -> bytes | None:
    """The RIFF chunk for an :func:`info_block`, or None when the block is not a sane description."""
    body = bytes(block[1:])
    if parse_info(body) is None:
        return None
    return CHUNK_ID + struct.pack("<I", len(body)) + body + (b"\x00" if len(body) % 2 else b"")


def append_chunk(wav: bytes, chunk: bytes) -> bytes:
    """``wav`` with ``chunk`` appended and the RIFF size patched."""
    out = bytearray(wav)
    out += chunk
    out[4:8] = struct.pack("<I", len(out) - 8)
    return bytes(out)


def source_of(wav: bytes) -> AudioInfo | None:
    """The original recording's description from a WAV written by the sandboxed decoder, or None (another
    WAV, or a chunk that does not hold up)."""
    if len(wav) < 12 or wav[:4] != b"RIFF" or wav[8:12] != b"WAVE":
        return None
    pos = 12
    while pos + 8 <= len(wav):
        cid, size = wav[pos:pos + 4], struct.unpack("<I", wav[pos + 4:pos + 8])[0]
        if cid == CHUNK_ID:
            return parse_info(wav[pos + 8:pos + 8 + size])
        pos += 8 + size + (size % 2)
    return None


__all__ = ["CHUNK_ID", "DecodedStream", "append_chunk", "chunk_from_block", "decoded_stream", "info_block",
           "parse_info", "source_of"]
