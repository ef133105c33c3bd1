"""Streaming a recording into the sandboxed decoder (issue 17): pieces go in as the child reads them, PCM blocks
come back as they are decoded, and a crash or a killed child mid-stream is a named one-line error."""

from __future__ import annotations

import io
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sessionlens import sandbox
from sessionlens.errors import InputError
from sessionlens.ingest.audio import pcm16_blocks, probe, to_wav, wav_from


@pytest.fixture(autouse=True)
def _child_imports_this_module(monkeypatch: pytest.MonkeyPatch) -> None:
    """The child unpickles the test functions below by module name (pytest imports tests without sys.path)."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2]))


def _encode(fmt: str, codec: str, seconds: float = 45.0) -> bytes:
    import av

    out = io.BytesIO()
    container = av.open(out, "w", format=fmt)
    stream: Any = container.add_stream(codec, rate=44100)
    stream.layout = "mono"
    x = (0.3 * np.sin(2 * np.pi * 220 * np.arange(int(44100 * seconds)) / 44100)).astype(np.float32)
    for i in range(0, len(x), 1024):
        frame = av.AudioFrame.from_ndarray(x[None, i:i + 1024], format="fltp", layout="mono")
        frame.sample_rate, frame.pts = 44100, i
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode(None):
        container.mux(packet)
    container.close()
    return out.getvalue()


def _pieces(data: bytes, seen: list[int], size: int = 64 * 1024) -> Iterator[bytes]:
    for i in range(0, len(data), size):
        seen.append(i)
        yield data[i:i + size]


def crashes_midway(reader: Any) -> Iterator[bytes]:
    reader.read(10)
    yield b"1"
    os.kill(os.getpid(), signal.SIGSEGV)
    yield b"2"


def echoes_sizes(reader: Any) -> Iterator[bytes]:
    while piece := reader.read(1000):
        yield str(len(piece)).encode()


def sends_a_non_block(reader: Any) -> Iterator[bytes]:
    yield b"\x07" + b"\x00" * 10


@pytest.mark.parametrize(("fmt", "codec"), [("mp3", "mp3"), ("ipod", "aac"), ("flac", "flac")])
def test_a_streamed_decode_matches_the_whole_file_decode(fmt: str, codec: str) -> None:
    """MP3 and FLAC are read as a stream (forward only); an M4A whose index (moov) comes last is kept by the child to seek in."""
    data = _encode(fmt, codec)
    seen: list[int] = []
    wav = wav_from(sandbox.stream(pcm16_blocks, _pieces(data, seen), what="the audio decoder"))
    whole = to_wav(data)
    if fmt == "mp3":  # read as a stream FFmpeg cannot seek to the LAME gapless header: ~10 ms more at the edges
        assert abs(len(wav) - len(whole)) < 0.05 * 32000
    else:
        assert wav == whole
    assert 44.5 < (probe(wav).duration or 0) < 45.5
    assert len(seen) == -(-len(data) // (64 * 1024))  # every piece asked for once, none twice


def test_pieces_are_taken_only_as_the_child_reads_them() -> None:
    seen: list[int] = []
    items = sandbox.stream(echoes_sizes, _pieces(b"x" * (10 * 64 * 1024), seen))
    assert next(items) == b"1000"
    assert len(seen) == 1  # the parent has not read ahead of the child
    items.close()  # stopping early ends the child (and reads nothing more)
    assert len(seen) == 1


def test_a_crash_mid_stream_is_a_named_one_line_error() -> None:
    got: list[bytes] = []
    with pytest.raises(sandbox.SandboxError, match=r"^the audio decoder crashed on this file .*SIGSEGV\)$"):
        for item in sandbox.stream(crashes_midway, _pieces(b"y" * 100_000, []), what="the audio decoder"):
            got.append(item)
    assert got == [b"1"]


def test_a_killed_child_is_a_named_error_not_a_hang() -> None:
    items = sandbox.stream(echoes_sizes, _pieces(b"z" * (4 * 64 * 1024), []), what="the audio decoder")
    assert next(items) == b"1000"
    os.kill(items.gi_frame.f_locals["proc"].pid, signal.SIGKILL)
    with pytest.raises(sandbox.SandboxError, match="the audio decoder was stopped at its CPU-time limit .* or killed"):
        list(items)


def test_a_hostile_or_foreign_file_is_refused_with_its_message() -> None:
    with pytest.raises(InputError, match="is not an audio or video file FFmpeg can read"):
        list(sandbox.stream(pcm16_blocks, _pieces(b"\x00" * 5000 + b"<html>", []), what="the audio decoder"))


def test_what_the_child_sends_is_checked_not_trusted() -> None:
    """The parent never unpickles the child's messages; a block that is not 16-bit PCM is refused."""
    with pytest.raises(InputError, match="not audio"):
        wav_from(sandbox.stream(sends_a_non_block, _pieces(b"a", [])))


def answers_an_object() -> dict[str, int]:
    return {"a": 1}


def test_run_takes_back_bytes_or_text_only() -> None:
    """sandbox.run: the child's answer comes back raw (bytes or str); anything else is a named failure, never a
    pickle the key-holding parent would load."""
    with pytest.raises(sandbox.SandboxError, match=r"^the parser failed on this file \(TypeError\)$"):
        sandbox.run(answers_an_object)
