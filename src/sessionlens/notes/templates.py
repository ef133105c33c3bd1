"""User-defined note templates (a practice's own format) in sandboxed Jinja2.

Two walls: ``jinja2.sandbox`` (ImmutableSandboxedEnvironment) refuses attribute tricks such as
``__class__.__mro__``; and the template runs in a short-lived child process with a memory cap, a
CPU-time cap, a wall-clock timeout, a loop budget and an output cap, so a template that loops or
grows without end is stopped instead of hanging or exhausting the machine. The note reaches the
child over a pipe (never a temp file).

Templates see ``note`` (format, title, status, sections -> sentences with text, evidence, times),
``sections`` (by key) and ``signature``.
"""

from __future__ import annotations

import json
import subprocess
import sys

from ..errors import InputError
from ..payloads.notes_json import TemplateContext, TemplateSection
from .formats import FORMATS
from .model import Note
from .text import clock

MAX_TEMPLATE_BYTES = 64 * 1024
MEMORY_LIMIT = 512 * 1024 * 1024
DEFAULT_TIMEOUT = 5.0


def template_context(note: Note) -> TemplateContext:
    sections: list[TemplateSection] = [{"key": s.key, "title": s.title, "sentences": [
        {"text": x.text, "evidence": list(x.evidence), "start": clock(x.start) if x.start is not None else "",
         "end": clock(x.end) if x.end is not None else "", "basis": x.basis} for x in s.sentences]}
        for s in note.sections]
    spec = FORMATS.get(note.format)
    sig = note.signature
    return {"note": {"format": note.format, "title": spec.title if spec else note.format, "status": note.status,
                     "sections": sections},
            "sections": {s["key"]: s for s in sections},
            "signature": None if sig is None else {"signer": sig.signer, "signed_at": sig.signed_at,
                                                   "sha256": sig.content_sha256}}


def _limits() -> None:  # runs in the child before exec (POSIX)
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (int(DEFAULT_TIMEOUT) + 2, int(DEFAULT_TIMEOUT) + 3))


def render_template(source: str, note: Note, timeout: float = DEFAULT_TIMEOUT) -> str:
    """Render a user template for ``note``; any failure is an InputError with a plain reason."""
    if len(source.encode("utf-8")) > MAX_TEMPLATE_BYTES:
        raise InputError(f"the template is larger than {MAX_TEMPLATE_BYTES // 1024} KB")
    request = json.dumps({"source": source, "context": template_context(note)})
    try:
        proc = subprocess.run([sys.executable, "-I", "-m", "sessionlens.notes._template_worker"], input=request,
                              capture_output=True, text=True, timeout=timeout,
                              preexec_fn=_limits if sys.platform != "win32" else None)  # noqa: PLW1509
    except subprocess.TimeoutExpired:
        raise InputError(f"the template took longer than {timeout:g} s and was stopped") from None
    try:
        result = json.loads(proc.stdout)
    except ValueError:
        why = "ran out of memory" if "MemoryError" in proc.stderr else "stopped"
        raise InputError(f"the template {why} (exit status {proc.returncode})") from None
    if "ok" in result:
        return str(result["ok"])
    if result.get("error") == "security":
        raise InputError(f"the template tried something its sandbox refuses: {result['message']}")
    if result.get("error") == "syntax":
        raise InputError(f"template syntax error, {result['message']}")
    raise InputError(f"the template failed: {result.get('message', 'unknown error')}")
