"""Run an untrusted-input parser or decoder in a child process that holds no keys, under hard limits.

A crafted upload that exploits a native parser (FFmpeg's demuxers and decoders, a DOCX or PDF
library) gets a process that was forked from a clean *fork server* — started before any key entered
this process, so the child's memory holds no KEK, DEK or grant — with an address-space limit
(RLIMIT_AS), a CPU-time limit (RLIMIT_CPU), no core dumps, and the network guard on. The parent gets the
result back over a pipe, or a named failure: a crash (the signal named), a limit hit, or the parser's
own error (its message kept, as an InputError).
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from .errors import InputError, SessionlensError

T = TypeVar("T")
PARSE_MEMORY_MIB = 2048
DECODE_MEMORY_MIB = 4096
CPU_SECONDS = 900

_context_lock = threading.Lock()
_context: Any = None


class SandboxError(InputError):
    """The parser or decoder crashed or hit a resource limit: a named job failure, never a retry."""


def _ctx() -> Any:
    global _context
    with _context_lock:
        if _context is None:
            _context = multiprocessing.get_context("forkserver")
            # Imported once in the fork server (a fresh interpreter, never this process's memory), so a child
            # starts in milliseconds with the parsers and decoders loaded.
            _context.set_forkserver_preload(["numpy", "av", "sessionlens.ingest", "sessionlens.ingest.audio",
                                             "sessionlens.services.pipeline", "sessionlens.jobs.stages"])
        return _context


def _child(conn: Any, fn: Callable[..., Any], args: tuple[Any, ...], memory_mib: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    limit = memory_mib * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from .offline import offline

    try:
        with offline():
            result = fn(*args)
        conn.send(("ok", result))
    except MemoryError:
        conn.send(("limit", "memory"))
    except SessionlensError as exc:
        conn.send(("error", str(exc)))
    except Exception as exc:  # noqa: BLE001 - reported by type only (the message may quote the input)
        conn.send(("failed", type(exc).__name__))
    finally:
        conn.close()


def _signal_name(code: int) -> str:
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


def run(fn: Callable[..., T], *args: Any, what: str = "the parser", memory_mib: int = PARSE_MEMORY_MIB,
        cpu_seconds: int = CPU_SECONDS) -> T:
    """``fn(*args)`` in a limited child; ``fn`` and its arguments must pickle (a module-level function)."""
    ctx = _ctx()
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, fn, args, memory_mib, cpu_seconds), daemon=True)
    proc.start()
    send.close()
    try:
        message = receive.recv()
    except EOFError:
        message = None
    finally:
        receive.close()
        proc.join(timeout=30)
        if proc.is_alive():
            proc.kill()
            proc.join()
    if message is None:
        code = proc.exitcode or 0
        if code in (-signal.SIGXCPU, -signal.SIGKILL):
            raise SandboxError(f"{what} was stopped at its CPU-time limit ({cpu_seconds} s)")
        raise SandboxError(f"{what} crashed on this file (the child process died of {_signal_name(code)})"
                           if code < 0 else f"{what} ended without an answer (exit {code})")
    kind, value = message
    if kind == "ok":
        return value
    if kind == "limit":
        raise SandboxError(f"{what} hit its memory limit ({memory_mib} MiB) on this file")
    if kind == "error":
        raise InputError(value)
    raise SandboxError(f"{what} failed on this file ({value})")
