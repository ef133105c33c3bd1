"""The local-server path of the LLM writer, end to end: a real llama.cpp server process
(`python -m llama_cpp.server`, llama-cpp-python's OpenAI-compatible server) on a free loopback port with
the packaged SmolLM2-135M GGUF, drafting under the network guard.

SmolLM2-135M writes poor prose: these tests prove the plumbing (requests reach the server, answers are
parsed, sections fall back only with a message) and the grounding (every kept sentence passes the check;
failing ones are removed or marked), not the prose."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from sessionlens.errors import NetworkRefusedError
from sessionlens.notes import draft_note
from sessionlens.notes.grounding import ground
from sessionlens.notes.model import UNSUPPORTED
from sessionlens.notes.writer_llm import LLMConfig, LLMWriter, remote_warning
from sessionlens.offline import offline
from sessionlens.services.note_workflow import draft_file_note

from .helpers import DEMO, demo, smollm2_gguf

SECTIONS = ("subjective", "plan")  # two sections keep the run short on a shared 2-core machine
STARTUP_SECONDS = 180


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"llama_cpp.server exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/v1/models", timeout=2) as r:  # noqa: S310 - loopback
                if json.loads(r.read()).get("data"):
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"llama_cpp.server did not answer within {STARTUP_SECONDS} s: {log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`python -m llama_cpp.server` in a child process on loopback, torn down after the module."""
    model = smollm2_gguf()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
             "--port", str(port), "--n_ctx", "2048", "--seed", "7",
             # one thread: on a busy shared machine llama.cpp's spinning threads slow each other down
             # (measured here at load 17: 60 tokens in 94-175 s with two threads, 6 s with one)
             "--n_threads", "1", "--n_threads_batch", "1"],
            stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        _wait_ready(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)


def _cfg(url: str, **kw) -> LLMConfig:
    return LLMConfig("openai", url=url, timeout=240, max_tokens=60, sections=SECTIONS, excerpt_words=120, **kw)


def _unsupported(note, a) -> int:
    """Sentences the grounding check would mark (it re-runs over the note as it stands)."""
    return ground(note, a, "mark")[1].marked


@pytest.mark.slow
def test_draft_through_a_real_llama_cpp_server_under_the_network_guard(server):
    """The path a clinician uses: `note draft FILE --llm-url ...` (draft_file_note), the guard allowing
    only the server's loopback host. Every kept sentence is grounded; the risk section is untouched."""
    a = demo()
    note = draft_file_note(DEMO, "soap", writer=LLMWriter(_cfg(server)), llm_url=server)
    stats = note.meta["llm"]
    assert note.writer == "llm:openai"
    assert stats["sections_sent"] == len(SECTIONS)  # both sections were sent and answered
    assert not [m for m in note.messages if any(w in m for w in ("not reachable", "HTTP", "did not answer",
                                                                  "not an OpenAI-style", "empty answer"))]
    assert stats["sentences_returned"] >= 1, note.messages  # the model's answer was parsed into sentences
    assert _unsupported(note, a) == 0
    assert all(s.status != UNSUPPORTED for s in note.sentences())  # remove mode: failures are gone
    default = draft_note(a, "soap")
    assert note.section("risk") == default.section("risk")
    assert note.section("objective") == default.section("objective")  # not sent: kept as drafted
    llm_kept = [s for s in note.sentences() if s.origin == "llm"]
    assert len(llm_kept) <= stats["supported"]
    if stats["unsupported"]:  # said in plain words: some failed, or all did and the draft was kept
        assert any("evidence" in m for m in note.messages), note.messages


@pytest.mark.slow
def test_mark_mode_flags_what_fails_instead_of_dropping(server):
    a = demo()
    with offline(allow=("127.0.0.1",)):
        note = draft_note(a, "soap", writer=LLMWriter(_cfg(server)), grounding="mark")
    stats = note.meta["llm"]
    assert stats["sections_sent"] == len(SECTIONS), note.messages
    marked = [s for s in note.sentences() if s.status == UNSUPPORTED]
    assert _unsupported(note, a) == len(marked)  # every sentence is grounded, or kept and marked for review
    marked_llm = [s for s in note.sentences() if s.origin == "llm" and s.status == UNSUPPORTED]
    assert len(marked_llm) <= stats["unsupported"]  # a wholly unsupported rewrite keeps the draft instead
    assert all(s.origin == "llm" for s in marked)  # the draft it rewrote was grounded: only the model's are marked


def test_the_guard_lets_only_the_named_loopback_host_through(server):
    """Allowed: the LLM server's host. Refused before any packet leaves: every other host, even another
    loopback address (no traffic is sent anywhere to prove it)."""
    port = int(server.rsplit(":", 1)[1])
    with offline(allow=("127.0.0.1",)) as guard:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
        with pytest.raises(NetworkRefusedError):
            socket.create_connection(("127.0.0.2", port), timeout=5)
    assert guard.attempts and all("127.0.0.2" in x for x in guard.attempts)


def test_remote_hosts_warn_and_loopback_does_not():
    assert remote_warning(LLMConfig("openai", url="http://127.0.0.1:8080")) is None
    assert remote_warning(LLMConfig("openai", url="http://localhost:11434", allow_remote=True)) is None
    w = remote_warning(LLMConfig("openai", url="http://gpu-box.lan:11434", allow_remote=True))
    assert w and "gpu-box.lan" in w and "not this computer" in w
