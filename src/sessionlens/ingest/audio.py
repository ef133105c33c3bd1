"""Audio and video decoding, in memory, to 16 kHz float32 (PyAV: FFmpeg inside the wheel).

Nothing touches disk: a path is opened here and read through a Python file object, bytes (e.g. from
the vault) from memory; FFmpeg never sees a path or URL, and only the audio demuxers in
:data:`DEMUXERS` may run (no playlists, concat lists, SDP/RTP or other demuxers that open more inputs). Long files are streamed in blocks so memory stays bounded (``iter_blocks``); short
ones can be decoded whole (``decode_audio``). A stereo file stays two channels so that a
recording with one speaker per channel can be diarized by channel; everything else is mixed
to mono.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from ..errors import InputError, UnsupportedFormatError
from .audio_info import MAX_CHANNELS_KEPT, AudioInfo
from .decoded import append_chunk, chunk_from_block, info_block

SAMPLE_RATE = 16_000
BLOCK_SECONDS = 20.0

# Leading bytes of the containers FFmpeg reads for us (wav, flac, mp3, ogg/opus, mp4/m4a/mov, webm/mkv,
# aac, aiff, caf, amr, asf/wma). Used to route a file to audio rather than transcript parsing.
_MAGIC: tuple[tuple[int, bytes], ...] = (
    (0, b"RIFF"), (0, b"RF64"), (0, b"fLaC"), (0, b"ID3"), (0, b"OggS"), (4, b"ftyp"),
    (0, b"\x1a\x45\xdf\xa3"), (0, b"FORM"), (0, b"caff"), (0, b"#!AMR"), (0, b".snd"),
    (0, b"\x30\x26\xb2\x75\x8e\x66\xcf\x11"),
)

Source = str | Path | bytes | BinaryIO

# The demuxers FFmpeg may use (the containers above). Anything else — HLS/DASH playlists, concat lists,
# image2 sequences, SDP/RTP, subtitles with external references — can make FFmpeg open further files or
# URLs named *inside* the upload, so it is refused before a demuxer runs.
DEMUXERS = ("wav", "w64", "flac", "mp3", "ogg", "mov", "matroska", "aac", "aiff", "caf", "amr", "au", "asf")
# Nested opens by a demuxer are limited to this protocol list; the upload itself is always read through a
# Python file object, so FFmpeg never parses a path as a URL (no file:, http:, concat:, pipe: tricks).
_AV_OPTIONS = {"format_whitelist": ",".join(DEMUXERS), "protocol_whitelist": "none"}


@dataclass(frozen=True, slots=True)
class Audio:
    """Decoded audio: ``mono`` for recognition, ``channels`` (2, n) when the source is stereo."""

    mono: np.ndarray
    channels: np.ndarray | None = None
    sample_rate: int = SAMPLE_RATE

    @property
    def duration(self) -> float:
        return len(self.mono) / self.sample_rate


def looks_like_media(head: bytes) -> bool:
    """True when the first bytes of a file are those of an audio or video container."""
    if any(head[off:off + len(magic)] == magic for off, magic in _MAGIC):
        return True
    # MPEG audio frame sync (mp3 without ID3, ADTS AAC): 11 set bits.
    return len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0


def is_media_file(path: str | Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return looks_like_media(fh.read(16))
    except OSError:
        return False


def _label(src: Source) -> str:
    return str(src) if isinstance(src, str | Path) else getattr(src, "label", None) or "audio"


def check_path(src: str | Path) -> Path:
    """A recording's path, refused with a one-line error when it is missing, a folder or empty."""
    p, label = Path(src), str(src)
    if not p.exists():
        raise InputError("file not found", source=label)
    if p.is_dir():
        raise InputError("is a directory, not an audio file", source=label)
    if p.stat().st_size == 0:
        raise InputError("the file is empty (0 bytes)", source=label)
    return p


def _open(src: Source) -> Any:  # an av container (PyAV has no usable stubs here)
    import av

    label = _label(src)
    if isinstance(src, str | Path):
        target: object = open(check_path(src), "rb")  # noqa: SIM115 - closed with the container (_close)
    elif getattr(src, "streaming", False):  # sandbox.PipeReader: read as FFmpeg asks, never whole here
        target = src
    else:
        data = src.read() if hasattr(src, "read") else src
        if not data:
            raise InputError("the audio is empty (0 bytes)", source=label)
        target = io.BytesIO(data)
    try:
        container = av.open(target, mode="r", options=dict(_AV_OPTIONS))
    except (av.FFmpegError, ValueError, OSError):
        _close_file(target)
        raise UnsupportedFormatError("is not an audio or video file FFmpeg can read", source=label) from None
    if not any(name in DEMUXERS for name in container.format.name.split(",")):  # belt and braces
        container.close()
        _close_file(target)
        raise UnsupportedFormatError("is not an audio or video file FFmpeg can read", source=label)
    if not container.streams.audio:
        kind = "video with no audio track" if container.streams.video else "file with no audio track"
        _close(container)
        raise InputError(f"is a {kind}; nothing to transcribe", source=label)
    return container


def _close_file(target: object) -> None:
    if isinstance(target, io.BufferedReader):
        target.close()


def _close(container: Any) -> None:
    """Close the container and the file object it read (a path is opened by us, not by FFmpeg)."""
    container.close()
    _close_file(getattr(container, "file", None))


def probe(src: Source) -> AudioInfo:
    """Describe the audio stream without decoding it. Raises InputError for unusable input."""
    container = _open(src)
    try:
        return _info(container)
    finally:
        _close(container)


def _info(container: Any) -> AudioInfo:
    stream = container.streams.audio[0]
    duration = None
    if stream.duration is not None and stream.time_base is not None:
        duration = float(stream.duration * stream.time_base)
    elif container.duration is not None:
        duration = container.duration / 1_000_000
    channels = MAX_CHANNELS_KEPT if stream.channels == MAX_CHANNELS_KEPT else 1
    return AudioInfo(duration, int(stream.rate or 0), channels, stream.codec_context.name,
                     bool(container.streams.video))


def iter_blocks(src: Source, block_seconds: float = BLOCK_SECONDS) -> Iterator[np.ndarray]:
    """Yield (channels, n) float32 blocks at 16 kHz, about ``block_seconds`` each.

    A stream that breaks off (truncated mp3) ends the iteration after the last good frame; a stream
    with nothing decodable raises InputError.
    """
    container = _open(src)
    try:
        yield from _blocks(container, _label(src), block_seconds)
    finally:
        _close(container)


def _blocks(container: Any, label: str, block_seconds: float) -> Iterator[np.ndarray]:
    import av

    stereo = _info(container).channels == MAX_CHANNELS_KEPT
    resampler = av.AudioResampler(format="fltp", layout="stereo" if stereo else "mono", rate=SAMPLE_RATE)
    pending: list[np.ndarray] = []
    size = 0
    target = int(block_seconds * SAMPLE_RATE)
    for frame in _frames(container, label):
        for out in resampler.resample(frame):
            pending.append(out.to_ndarray())
            size += out.samples
        if size >= target:
            yield np.concatenate(pending, axis=1).astype(np.float32, copy=False)
            pending, size = [], 0
    for out in resampler.resample(None):
        pending.append(out.to_ndarray())
    if pending:
        yield np.concatenate(pending, axis=1).astype(np.float32, copy=False)


def _frames(container: Any, label: str) -> Iterator[Any]:
    import av

    decoded = 0
    packets = container.demux(container.streams.audio[0])
    while True:
        try:
            packet = next(packets)
        except StopIteration:
            break
        except av.FFmpegError:
            break  # a broken container tail: keep what decoded
        try:
            frames = packet.decode()
        except av.FFmpegError:
            continue  # one corrupt packet (truncated mp3 frame): skip it
        for frame in frames:
            decoded += 1
            yield frame
    if decoded == 0:
        raise InputError("no audio could be decoded (damaged or truncated file)", source=label)


def decode_audio(src: Source) -> Audio:
    """Decode a whole (short) file to memory. For long files prefer ``iter_blocks``."""
    blocks = list(iter_blocks(src))
    if not blocks:
        raise InputError("no audio could be decoded", source=_label(src))
    data = np.concatenate(blocks, axis=1)
    mono = data.mean(axis=0) if data.shape[0] > 1 else data[0]
    return Audio(np.ascontiguousarray(mono, dtype=np.float32), data if data.shape[0] > 1 else None)


def pcm16_blocks(src: Source, label: str | None = None) -> Iterator[bytes]:
    """What the sandboxed decoder sends back (:func:`sessionlens.sandbox.stream`), to be written into a WAV by
    :func:`wav_from`: first the source's description (:func:`.decoded.info_block`, leading byte 0), then per
    decoded block one byte (the channel count) and interleaved 16-bit PCM at 16 kHz.
    ``label`` names a streamed recording in errors (a path, or "audio")."""
    if label and getattr(src, "streaming", False):
        src.label = label  # type: ignore[union-attr]  # sandbox.PipeReader
    container = _open(src)
    try:
        yield info_block(_info(container))
        for block in _blocks(container, _label(src), BLOCK_SECONDS):
            yield bytes([block.shape[0]]) + (np.clip(block, -1.0, 1.0) * 32767.0).astype("<i2").T.tobytes()
    finally:
        _close(container)


def wav_from(blocks: Iterable[bytes], label: str = "audio") -> bytes:
    """A plain 16 kHz 16-bit WAV from :func:`pcm16_blocks`, written as the blocks come (only the growing
    WAV and one block held); the source's description, when sent and sane, follows the audio as a chunk
    of its own (:mod:`.decoded`)."""
    import wave

    out = io.BytesIO()
    writer: wave.Wave_write | None = None
    source: bytes | None = None
    try:
        for block in blocks:
            channels, pcm = block[0], memoryview(block)[1:]
            if channels == 0 and writer is None and source is None:
                source = chunk_from_block(block)
                continue
            if writer is None:  # the channel count is known with the first block
                if channels not in (1, MAX_CHANNELS_KEPT):
                    raise InputError("the decoder sent a block that is not audio", source=label)
                writer = wave.open(out, "wb")
                writer.setnchannels(channels)
                writer.setsampwidth(2)
                writer.setframerate(SAMPLE_RATE)
            elif channels != writer.getnchannels() or len(pcm) % (2 * channels):
                raise InputError("the decoder sent a block that is not audio", source=label)
            writer.writeframes(pcm)
    finally:
        if writer is not None:
            writer.close()  # patches the header's sizes
    if writer is None:
        raise InputError("no audio could be decoded", source=label)
    return append_chunk(out.getvalue(), source) if source else out.getvalue()


def to_wav(src: Source) -> bytes:
    """Decode any accepted recording to a plain 16 kHz 16-bit WAV (stereo kept, else mono).

    Run in a sandboxed child (``sessionlens.sandbox``) on untrusted uploads: the complex demuxers and
    decoders then touch the upload only there, and the process holding keys reads a WAV written here.
    Written block by block: besides the source, only the growing WAV and one decoded block are held
    (no list of float blocks, no whole-recording float copy: 3 h of 16 kHz mono is 690 MB as float32)."""
    return wav_from(pcm16_blocks(src), _label(src))


__all__ = ["Audio", "AudioInfo", "DEMUXERS", "SAMPLE_RATE", "check_path", "decode_audio", "is_media_file", "iter_blocks",
           "looks_like_media", "pcm16_blocks", "probe", "to_wav", "wav_from"]
