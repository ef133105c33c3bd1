"""Run an untrusted-input parser or decoder in a child process that holds no keys, under hard limits.

A crafted upload that exploits a native parser (FFmpeg's demuxers and decoders, a DOCX or PDF
library) gets a process that was forked from a clean *fork server* — started before any key entered
this process, so the child's memory holds no KEK, DEK or grant — with an address-space limit
(RLIMIT_AS), a CPU-time limit (RLIMIT_CPU), no core dumps, and the network guard on. The parent gets the
result back over a pipe, or a named failure: a crash (the signal named), a limit hit, or the parser's
own error (its message kept, as an InputError).

:func:`run` hands the child its whole input and takes back its whole result. :func:`stream` feeds the child
its input piece by piece (read from a file-like :class:`PipeReader`, which asks the parent for the next
piece only when the parser needs it) and hands back what the child yields as it yields it, so neither side
holds a whole recording: the parent passes on one sealed chunk at a time, the child keeps only what its
demuxer has not read yet. One exception: an MP4/M4A/MOV file may keep its index (``moov``) at the end, so
the reader keeps everything it was given for those (seekable, in the child's memory; never on disk).
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar, cast

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


def _limit(memory_mib: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    limit = memory_mib * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


# The child's messages are tagged raw bytes, never pickles: the parent holds keys and must not unpickle what a
# child taken over by a crafted file says. (The parent's arguments to the child are pickled: that way is trusted.)
_TAGS = {"more": b"m", "item": b"i", "done": b"d", "limit": b"l", "error": b"e", "failed": b"f", "ok": b"o",
         "text": b"s"}
_KINDS = {tag: kind for kind, tag in _TAGS.items()}


def _say(conn: Any, kind: str, value: Any = None) -> None:
    if isinstance(value, bytes):
        conn.send_bytes(_TAGS[kind] + value)
    else:
        conn.send_bytes(_TAGS[kind] + ("" if value is None else str(value)).encode("utf-8"))


def _child(conn: Any, fn: Callable[..., Any], args: tuple[Any, ...], memory_mib: int, cpu_seconds: int,
           streaming: bool = False) -> None:
    _limit(memory_mib, cpu_seconds)
    from .offline import offline

    try:
        with offline():
            if streaming:
                for item in fn(PipeReader(conn), *args):
                    if not isinstance(item, bytes):
                        raise TypeError("a streamed item must be bytes")
                    _say(conn, "item", item)
                _say(conn, "done")
            else:
                result = fn(*args)
                if not isinstance(result, bytes | str):
                    raise TypeError("a sandboxed function must return bytes or str")
                _say(conn, "ok" if isinstance(result, bytes) else "text", result)
    except MemoryError:
        _say(conn, "limit", "memory")
    except SessionlensError as exc:
        _say(conn, "error", str(exc))
    except Exception as exc:  # noqa: BLE001 - reported by type only (the message may quote the input)
        _say(conn, "failed", type(exc).__name__)
    finally:
        conn.close()


def _signal_name(code: int) -> str:
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


def run(fn: Callable[..., T], *args: Any, what: str = "the parser", memory_mib: int = PARSE_MEMORY_MIB,
        cpu_seconds: int = CPU_SECONDS) -> T:
    """``fn(*args)`` in a limited child; ``fn`` and its arguments must pickle (a module-level function), and
    ``fn`` returns bytes or str (sent back raw: the parent unpickles nothing from the child)."""
    ctx = _ctx()
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, fn, args, memory_mib, cpu_seconds), daemon=True)
    proc.start()
    send.close()
    try:
        message: bytes | None = receive.recv_bytes()
    except (EOFError, ConnectionResetError):  # the child died: end of file, or a reset if it died mid-write
        message = None
    finally:
        receive.close()
        proc.join(timeout=30)
        if proc.is_alive():
            proc.kill()
            proc.join()
    if message is None:
        raise _died(proc, what, cpu_seconds)
    kind, value = _KINDS.get(message[:1], "failed"), message[1:]
    if kind == "ok":
        return cast(T, value)
    if kind == "text":
        return cast(T, value.decode("utf-8", "replace"))
    raise _failure(kind, value.decode("utf-8", "replace")[:300] or "no answer", what, memory_mib)


def _died(proc: Any, what: str, cpu_seconds: int) -> SandboxError:
    code = proc.exitcode or 0
    if code in (-signal.SIGXCPU, -signal.SIGKILL):
        return SandboxError(f"{what} was stopped at its CPU-time limit ({cpu_seconds} s) or killed")
    return SandboxError(f"{what} crashed on this file (the child process died of {_signal_name(code)})"
                        if code < 0 else f"{what} ended without an answer (exit {code})")


def _failure(kind: str, value: Any, what: str, memory_mib: int) -> InputError:
    if kind == "limit":
        return SandboxError(f"{what} hit its memory limit ({memory_mib} MiB) on this file")
    if kind == "error":
        return InputError(value)
    return SandboxError(f"{what} failed on this file ({value})")


class PipeReader:
    """In the child: a read-only file over the pieces the parent sends, asked for one at a time.

    Forward-only (no ``seek``: FFmpeg then reads it as a stream) and keeping only unread bytes, except for
    an ISO media file (``ftyp`` at offset 4: MP4/M4A/MOV, whose index may be at the end), where everything
    received is kept so FFmpeg can seek in it."""

    streaming = True  # ingest.audio hands this reader to FFmpeg as it is, rather than reading it whole
    label = "audio"  # what errors call the input (ingest.audio.pcm16_blocks sets the file's name)

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self._buf = bytearray()
        self._pos = 0  # read position within _buf
        self._base = 0  # file offset of _buf[0]
        self._eof = False
        self._more()
        self._keep = self._buf[4:8] == b"ftyp"
        if self._keep:  # PyAV treats a file with seek/tell as seekable
            self.seek, self.tell = self._seek, self._tell

    def _more(self) -> bool:
        if self._eof:
            return False
        _say(self._conn, "more")
        piece = self._conn.recv_bytes()
        if not piece:
            self._eof = True
            return False
        self._buf += piece
        return True

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        while (n < 0 or len(self._buf) - self._pos < n) and self._more():
            pass
        end = len(self._buf) if n < 0 else min(len(self._buf), self._pos + n)
        out = bytes(self._buf[self._pos:end])
        self._pos = end
        if not self._keep and self._pos > (1 << 20):  # drop what the demuxer has consumed
            del self._buf[:self._pos]
            self._base += self._pos
            self._pos = 0
        return out

    def _tell(self) -> int:
        return self._base + self._pos

    def _seek(self, offset: int, whence: int = 0) -> int:
        if whence == 2:
            while self._more():
                pass
            target = len(self._buf) + offset
        else:
            target = offset if whence == 0 else self._pos + offset
        while target > len(self._buf) and self._more():
            pass
        self._pos = max(0, min(target, len(self._buf)))
        return self._pos

    def close(self) -> None:
        self._buf = bytearray()


def stream(fn: Callable[..., Iterable[bytes]], pieces: Iterable[bytes], *args: Any, what: str = "the parser",
           memory_mib: int = PARSE_MEMORY_MIB, cpu_seconds: int = CPU_SECONDS) -> Iterator[bytes]:
    """``fn(reader, *args)`` in a limited child, ``reader`` a :class:`PipeReader` over ``pieces``; yields the
    bytes ``fn`` yields (raw bytes both ways: nothing from the child is unpickled here). The child asks for each piece and the parent answers, one message at a time, so neither
    side can block the other. Pieces are taken from ``pieces`` only as the child reads; closing this
    iterator early (or an error reading ``pieces``) ends the child."""
    ctx = _ctx()
    here, there = ctx.Pipe(duplex=True)
    proc = ctx.Process(target=_child, args=(there, fn, args, memory_mib, cpu_seconds, True), daemon=True)
    proc.start()
    there.close()
    source = iter(pieces)
    finished = False
    try:
        while True:
            try:
                message = here.recv_bytes()
            except (EOFError, ConnectionResetError):  # the child died (a reset when it died mid-exchange)
                proc.join(timeout=30)
                raise _died(proc, what, cpu_seconds) from None
            kind, value = _KINDS.get(message[:1], "failed"), message[1:]
            if kind == "more":
                piece = next((p for p in source if p), b"")  # b"" tells the reader: end of input
                try:
                    here.send_bytes(piece)
                except (BrokenPipeError, ConnectionResetError):
                    proc.join(timeout=30)
                    raise _died(proc, what, cpu_seconds) from None
            elif kind == "item":
                yield value
            elif kind == "done":
                finished = True
                return
            else:
                raise _failure(kind, value.decode("utf-8", "replace")[:300] or "no answer", what, memory_mib)
    finally:
        here.close()
        if finished:
            proc.join(timeout=30)
        if proc.is_alive():  # stopped early, or an error: the child is not waited for
            proc.kill()
            proc.join()
