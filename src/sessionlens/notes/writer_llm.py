"""The optional LLM writer: a local model rewrites the grounded draft concisely, section by section,
seeing only the draft and the excerpts that section cites.

Backends sit behind ``LLMBackend`` with a registry (``BACKENDS``): ``llama_cpp`` runs a GGUF file the
user supplies (llama-cpp-python, extra ``sessionlens[llm]``); ``openai`` talks to an
OpenAI-compatible server the user runs (Ollama, llama.cpp's llama-server, LM Studio; docs/notes-llm.md)
by URL, loopback only unless the user explicitly allows another host — and then every draft warns.

Every sentence the model writes is re-checked against its evidence with the grounding check; one that
fails is marked unsupported, so the grounding step removes it or leaves it marked, by setting. Risk
stays with the default writer (its wording is safety-relevant), and any section the model fails on —
server down, slow, garbage, nothing supported, not shorter — keeps the draft's text with a plain
message saying so. The session's text is never put into a message or log.
"""

from __future__ import annotations

import atexit
import importlib.util
import ipaddress
import json
import re
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from ..analysis.result import SessionAnalysis
from ..errors import InputError
from ..analysis.view import View
from .formats import FormatSpec
from .grounding import check_sentence
from .model import UNSUPPORTED, Note, Section, Sentence

KEEP_DEFAULT = ("risk",)  # sections whose wording stays the default writer's
MAX_EXCERPT_WORDS = 700  # small local models have small context windows
MAX_RESPONSE_BYTES = 1_000_000
_CITE = re.compile(r"\[\s*(u?\d+(?:\s*[,;]\s*u?\d+)*)\s*\]", re.IGNORECASE)
_SENT = re.compile(r"(?<=[.!?\]])\s+(?=[A-Z])")


class LLMUnavailable(Exception):
    """The backend could not produce text (down, slow, garbage). The message holds no session text."""


@dataclass(frozen=True, slots=True)
class LLMConfig:
    backend: str  # a key of BACKENDS
    model_path: str = ""
    url: str = ""
    model_name: str = "local"
    allow_remote: bool = False
    timeout: float = 60.0
    max_tokens: int = 300
    sections: tuple[str, ...] = ()  # section keys the model writes (empty: all but KEEP_DEFAULT)
    excerpt_words: int = MAX_EXCERPT_WORDS
    detail: str = "concise"  # the grounded draft the model rewrites: concise or full


class LLMBackend(Protocol):
    name: str

    def complete(self, system: str, user: str) -> str: ...


# --- backends ----------------------------------------------------------------------------------

def is_loopback(host: str) -> bool:
    """localhost or a loopback address (127.0.0.0/8, ::1): this computer."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_local_url(url: str, allow_remote: bool) -> str:
    """The URL if it is http(s) to a loopback host (or another host the user explicitly allowed)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError("the LLM server URL must be http://HOST:PORT (e.g. http://127.0.0.1:8080)")
    host = parts.hostname
    if not is_loopback(host) and not allow_remote:
        raise InputError(f"refusing to send session excerpts to {host}: not this computer. "
                         "Run the model locally, or pass --llm-allow-remote if you really mean it")
    return url.rstrip("/")


class OpenAICompatBackend:
    name = "openai"

    def __init__(self, cfg: LLMConfig) -> None:
        base = check_local_url(cfg.url, cfg.allow_remote)
        self.endpoint = base + ("/chat/completions" if base.endswith("/v1") else "/v1/chat/completions")
        self.cfg = cfg

    def complete(self, system: str, user: str) -> str:
        body = json.dumps({"model": self.cfg.model_name, "temperature": 0.2, "max_tokens": self.cfg.max_tokens,
                           "messages": [{"role": "system", "content": system},
                                        {"role": "user", "content": user}]}).encode()
        req = urllib.request.Request(self.endpoint, data=body, headers={"content-type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=self.cfg.timeout) as resp:  # noqa: S310 - loopback checked
                raw = resp.read(MAX_RESPONSE_BYTES + 1)
        except (socket.timeout, TimeoutError):
            raise LLMUnavailable(f"the LLM server did not answer within {self.cfg.timeout:g} s") from None
        except urllib.error.HTTPError as exc:
            raise LLMUnavailable(f"the LLM server answered HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            kind = "timed out" if isinstance(reason, (socket.timeout, TimeoutError)) else "is not reachable"
            raise LLMUnavailable(f"the LLM server {kind}") from None
        return _completion_text(raw)


def _completion_text(raw: bytes) -> str:
    if len(raw) > MAX_RESPONSE_BYTES:
        raise LLMUnavailable("the LLM server's answer was too large")
    try:
        text = json.loads(raw)["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise LLMUnavailable("the LLM server's answer was not an OpenAI-style chat completion") from None
    if not isinstance(text, str) or not text.strip():
        raise LLMUnavailable("the LLM server returned an empty answer")
    return text


_LLAMAS: dict[str, object] = {}

# A plain `pip install llama-cpp-python` compiles for the build machine's CPU (crashes on Xeons with AMX).
LLAMA_MISSING = ("the local-LLM note writer needs llama-cpp-python: run `make llm` in the sessionlens checkout "
                 "(a portable build, once per machine)")


@atexit.register
def _close_models() -> None:
    # Free llama.cpp models while the interpreter is intact; left to garbage collection at shutdown,
    # llama_cpp's finalizer runs after its module globals are gone and prints a TypeError.
    for llm in _LLAMAS.values():
        close = getattr(llm, "close", None)
        if close is not None:
            close()
    _LLAMAS.clear()


class LlamaCppBackend:
    name = "llama_cpp"

    def __init__(self, cfg: LLMConfig) -> None:
        path = Path(cfg.model_path).expanduser()
        if not path.is_file():
            raise InputError("no such model file", source=str(path))
        if importlib.util.find_spec("llama_cpp") is None:  # asked for by name: say so, never skip silently
            raise InputError(LLAMA_MISSING)
        self.path, self.cfg = str(path.resolve()), cfg

    def _model(self) -> Any:  # a llama_cpp.Llama (an optional install)
        try:
            from llama_cpp import Llama  # optional extra: sessionlens[llm]
        except ImportError:
            raise LLMUnavailable(LLAMA_MISSING) from None
        if self.path not in _LLAMAS:
            try:
                _LLAMAS[self.path] = Llama(model_path=self.path, n_ctx=2048, n_threads=2, verbose=False, seed=7)
            except Exception:  # noqa: BLE001 - a corrupt or foreign file: say so, fall back
                raise LLMUnavailable("the model file could not be loaded by llama.cpp") from None
        return _LLAMAS[self.path]

    def complete(self, system: str, user: str) -> str:
        llm = self._model()
        try:
            out = llm.create_chat_completion(
                messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
                max_tokens=self.cfg.max_tokens, temperature=0.2)
        except Exception:  # noqa: BLE001
            raise LLMUnavailable("the local model failed while generating") from None
        return _completion_text(json.dumps(out).encode())


BACKENDS: dict[str, Callable[[LLMConfig], LLMBackend]] = {
    "openai": OpenAICompatBackend,
    "llama_cpp": LlamaCppBackend,
}


def make_backend(cfg: LLMConfig) -> LLMBackend:
    try:
        factory = BACKENDS[cfg.backend]
    except KeyError:
        raise InputError(f"unknown LLM backend {cfg.backend!r}; have: {', '.join(BACKENDS)}") from None
    return factory(cfg)


# --- the writer ----------------------------------------------------------------------------------

SYSTEM = ("You edit progress notes for a licensed therapist. Rewrite the draft section you are given as a "
          "shorter clinical paragraph in the third person ('Client ...', 'Therapist ...'). Use ONLY the draft "
          "and the transcript excerpts. End EVERY sentence with the ids of the excerpts it rests on in square "
          "brackets, e.g. [u12, u13]. Never add diagnoses, risk statements or anything not in the excerpts.")


def excerpts(section: Section, v: View, limit: int = MAX_EXCERPT_WORDS) -> tuple[str, set[str]]:
    """The utterances the draft of this section cites — all the model gets to see of the session."""
    ids = sorted({i for s in section.sentences for i in s.evidence if i in v.index}, key=v.index.__getitem__)
    lines, used, n = [], set(), 0
    for i in ids:
        u = v.utts[v.index[i]]
        n += len(u.text.split())
        if n > limit:
            break
        lines.append(f"[{u.id}] {u.role.value.capitalize()}: {u.text}")
        used.add(u.id)
    return "\n".join(lines), used


def rewrite_prompt(section: Section, text: str) -> str:
    draft = "\n".join(f"- {s.text} [{', '.join(s.evidence)}]" for s in section.sentences if s.evidence)
    return (f"Section: {section.title}\nDraft:\n{draft}\n\nTranscript excerpts:\n{text}\n\n"
            f"Rewrite the {section.title} section more concisely, in at most {max(1, len(section.sentences))} "
            "sentences, each ending with its excerpt ids in square brackets.")


def parse_sentences(raw: str, allowed: set[str]) -> list[Sentence]:
    out = []
    for piece in _SENT.split(" ".join(raw.split())):
        ids = [("u" + x.lower().lstrip("u")) for m in _CITE.finditer(piece) for x in re.split(r"[,;]\s*", m.group(1))]
        text = _CITE.sub("", piece).strip(" -*•")
        text = re.sub(r"\s+([.,;!?])", r"\1", text)
        if len(text.split()) < 3:
            continue
        out.append(Sentence(text=text, evidence=tuple(i.strip() for i in ids if i.strip() in allowed), origin="llm"))
    return out


def remote_warning(cfg: LLMConfig) -> str | None:
    """A plain warning when session excerpts go to a server that is not this computer (allowed explicitly)."""
    if cfg.backend != "openai" or not cfg.allow_remote:
        return None
    host = urlsplit(cfg.url).hostname or "?"
    if is_loopback(host):
        return None
    return (f"LLM writer: session excerpts are sent to {host}, which is not this computer "
            "(allowed by --llm-allow-remote or the note_llm_allow_remote setting).")


class LLMWriter:
    """Rewrites the grounded draft, section by section, with a local model; every sentence it writes is
    re-checked against its evidence. Failing sentences are marked unsupported, so the grounding step
    that follows removes them or leaves them marked for review, as the clinician's setting says."""

    name = "llm"

    def __init__(self, cfg: LLMConfig, backend: LLMBackend | None = None) -> None:
        self.cfg = cfg
        self.backend = backend or make_backend(cfg)

    def write(self, analysis: SessionAnalysis, spec: FormatSpec) -> Note:
        from .service import draft_note  # the grounded default draft is what the model rewrites

        base = draft_note(analysis, spec.name, detail=self.cfg.detail)
        v = View(analysis.transcript)
        warning = remote_warning(self.cfg)
        sections, messages, down = [], list(base.messages) + ([warning] if warning else []), False
        stats = {"sections_sent": 0, "sentences_returned": 0, "supported": 0, "unsupported": 0}
        for sec in base.sections:
            wanted = sec.key in self.cfg.sections if self.cfg.sections else True
            if down or not wanted or sec.key in KEEP_DEFAULT or not any(s.evidence for s in sec.sentences):
                sections.append(sec)
                continue
            try:
                sections.append(self._section(sec, analysis, v, messages, stats))
            except LLMUnavailable as exc:
                messages.append(f"LLM writer: {exc}; the default writer's text is used instead.")
                sections.append(sec)
                down = True  # don't wait on a failing server once per section
        return replace(base, sections=tuple(sections), draft=tuple(sections), writer=f"llm:{self.backend.name}",
                       messages=tuple(messages), meta={**base.meta, "llm": stats})

    def _section(self, sec: Section, a: SessionAnalysis, v: View, messages: list[str], stats: dict[str, int]
                 ) -> Section:
        text, allowed = excerpts(sec, v, self.cfg.excerpt_words)
        stats["sections_sent"] += 1
        written = [_timed(s, v) for s in parse_sentences(self.backend.complete(SYSTEM, rewrite_prompt(sec, text)),
                                                         allowed)]
        ok = [check_sentence(s, a, v).ok for s in written]
        stats["sentences_returned"] += len(written)
        stats["supported"] += sum(ok)
        stats["unsupported"] += len(ok) - sum(ok)
        if not written:
            messages.append(f"LLM writer: nothing usable for {sec.title}; the default writer's text is used.")
            return sec
        if not any(ok):
            messages.append(f"LLM writer: all {len(ok)} rewritten sentence(s) for {sec.title} were unsupported "
                            "by their evidence; the default writer's text is used.")
            return sec
        if sum(len(s.text.split()) for s, good in zip(written, ok) if good) > _words(sec):
            messages.append(f"LLM writer: the rewrite of {sec.title} was not shorter; the draft is kept.")
            return sec
        if len(ok) > sum(ok):
            messages.append(f"LLM writer: {len(ok) - sum(ok)} of {len(ok)} rewritten sentence(s) in {sec.title} "
                            "failed the evidence check.")
        absences = tuple(s for s in sec.sentences if not s.evidence)  # e.g. "not documented" statements
        flagged = tuple(s if good else replace(s, status=UNSUPPORTED) for s, good in zip(written, ok))
        return Section(sec.key, sec.title, flagged + absences)


def _words(sec: Section) -> int:
    return sum(len(s.text.split()) for s in sec.sentences if s.evidence)


def _timed(s: Sentence, v: View) -> Sentence:
    utts = [v.utts[v.index[i]] for i in s.evidence if i in v.index]
    starts = [u.start for u in utts if u.start is not None]
    ends = [u.end for u in utts if u.end is not None]
    return replace(s, start=min(starts) if starts else None, end=max(ends) if ends else None)
