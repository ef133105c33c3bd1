"""The stand-alone CLI (`sessionlens analyze FILE`, `sessionlens transcribe FILE`) parses and decodes untrusted
files in the keyless, limited sandbox as the vault paths do (issue 17); the real sandbox runs, and is watched."""

from __future__ import annotations

import io
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sessionlens import sandbox
from sessionlens.cli.app import run
from sessionlens.services.pipeline import recording_stream


@pytest.fixture
def ran(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    names: list[str] = []
    real_run, real_stream = sandbox.run, sandbox.stream

    def watched_run(fn: Any, *args: Any, **kw: Any) -> Any:
        names.append(fn.__name__)
        return real_run(fn, *args, **kw)

    def watched_stream(fn: Any, pieces: Any, *args: Any, **kw: Any) -> Any:
        names.append(fn.__name__)
        return real_stream(fn, pieces, *args, **kw)

    monkeypatch.setattr(sandbox, "run", watched_run)
    monkeypatch.setattr(sandbox, "stream", watched_stream)
    return names


def test_analyze_parses_a_transcript_in_the_sandbox(tmp_path: Path, ran: list[str],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "s.txt"
    p.write_text("[00:00:02] Therapist: Welcome back.\n[00:00:06] Client: It was a rough week.\n", encoding="utf-8")
    assert run(["analyze", str(p), "--json"]) == 0
    assert ran == ["_load_transcript"]
    bad = tmp_path / "bad.vtt"
    bad.write_bytes(b"garbage\x00\x01")
    assert run(["analyze", str(bad)]) == 2
    assert capsys.readouterr().err.strip().endswith("bad.vtt: binary data, not a transcript format sessionlens reads")


def test_transcribe_decodes_a_recording_in_the_sandbox(tmp_path: Path, ran: list[str],
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    hostile = tmp_path / "x.mp3"
    hostile.write_bytes(b"\xff\xfb" + bytes(range(256)) * 40)
    assert run(["transcribe", str(hostile), "-q"]) == 2
    assert ran == ["pcm16_blocks"]
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"sessionlens: error: {hostile}: ") and "\n" not in err


def test_a_recording_on_disk_is_streamed_as_the_same_pcm(tmp_path: Path, ran: list[str]) -> None:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000)
        w.writeframes((np.sin(np.arange(16000 * 12) / 5) * 8000).astype("<i2").tobytes())
    p = tmp_path / "r.wav"
    p.write_bytes(out.getvalue())
    decoded = recording_stream(p)
    assert (decoded.info.sample_rate, decoded.info.channels, decoded.info.codec) == (16000, 1, "pcm_s16le")
    got = np.round(np.concatenate(list(decoded.blocks), axis=1)[0] * 32767).astype(int)
    sent = np.frombuffer(out.getvalue()[44:], "<i2").astype(int)
    assert got.shape == sent.shape  # 16 kHz mono in, the same PCM out (within one step of rounding)
    assert np.abs(got - sent).max() <= 1
    assert ran == ["pcm16_blocks"]
