"""The network guard: while processing, any attempt to reach the network raises NetworkRefusedError.

``with offline() as guard:`` patches the socket module for the whole process (processing may run
in helper threads) so that connecting, sending to an address, or resolving a name for an
internet (AF_INET/AF_INET6) socket is refused — and recorded in ``guard.attempts`` even when
the caller swallows the error (some libraries retry or fall back silently; the test checks the
record is empty). Local AF_UNIX sockets stay usable. Guards nest; the patches come off when the
outermost one exits. Connections opened *before* the guard (e.g. a PostgreSQL pool) keep working.

``allow`` names hosts that stay reachable — the services pass the configured database server, so
another thread of a practice server can still open a pool connection while one import is being
analysed. Limits: only Python-level sockets are seen; a C extension that opens its own sockets
(libpq itself, for instance) bypasses the guard. The defence there is shipping no library that
fetches anything, and an OS-level sandbox for the strictest setups (see docs/security.md).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .errors import NetworkRefusedError

_INET = (socket.AF_INET, socket.AF_INET6)
_lock = threading.RLock()
_depth = 0
_saved: dict[str, Any] = {}
_active: list[Guard] = []


@dataclass
class Guard:
    """What the processing under this guard tried to reach (address family and a coarse target)."""

    attempts: list[str] = field(default_factory=list)
    allow: set[str] = field(default_factory=set)  # allowed host names, plus the addresses they resolved to


def _allowed(target: str) -> bool:
    return bool(_active) and all(target in g.allow for g in _active)


def _refuse(what: str, target: str) -> None:
    if _allowed(target):
        return
    for g in list(_active):
        g.attempts.append(what)
    raise NetworkRefusedError(f"network access refused while processing offline ({what})")


def _target(address: Any) -> str:
    return str(address[0]) if isinstance(address, tuple) and address else "?"


def _wrap_method(name: str) -> Callable[..., Any]:
    original = getattr(socket.socket, name)

    def guarded(self: socket.socket, *args: Any, **kwargs: Any) -> Any:
        if self.family in _INET:
            address = args[-1] if name in ("sendto",) else (args[0] if args else None)
            _refuse(f"{name} {_target(address)}", _target(address))
        return original(self, *args, **kwargs)

    guarded.__name__ = name
    return guarded


def _wrap_resolver(name: str) -> Callable[..., Any]:
    original = getattr(socket, name)

    def guarded(*args: Any, **kwargs: Any) -> Any:
        target = _target(args[0]) if name in ("create_connection", "getnameinfo") else str(args[0] if args else "?")
        _refuse(f"{name} {target}", target)
        result = original(*args, **kwargs)
        if name == "getaddrinfo":  # an allowed name: its addresses become connectable
            for g in _active:
                g.allow.update(str(info[4][0]) for info in result)
        elif name == "gethostbyname":
            for g in _active:
                g.allow.add(str(result))
        return result

    guarded.__name__ = name
    return guarded


_METHODS = ("connect", "connect_ex", "sendto")
_RESOLVERS = ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr", "getnameinfo", "create_connection")


def _install() -> None:
    for name in _METHODS:
        _saved[f"socket.{name}"] = getattr(socket.socket, name)
        setattr(socket.socket, name, _wrap_method(name))
    for name in _RESOLVERS:
        _saved[name] = getattr(socket, name)
        setattr(socket, name, _wrap_resolver(name))


def _uninstall() -> None:
    for name in _METHODS:
        setattr(socket.socket, name, _saved.pop(f"socket.{name}"))
    for name in _RESOLVERS:
        setattr(socket, name, _saved.pop(name))


@contextmanager
def offline(allow: Iterable[str] = ()) -> Iterator[Guard]:
    """Refuse network access for the duration of the block (process-wide), except to ``allow`` hosts."""
    global _depth
    guard = Guard(allow={h for h in allow if h})
    with _lock:
        if _depth == 0:
            _install()
        _depth += 1
        _active.append(guard)
    try:
        yield guard
    finally:
        with _lock:
            _active.remove(guard)
            _depth -= 1
            if _depth == 0:
                _uninstall()


def is_offline() -> bool:
    return _depth > 0


__all__ = ["Guard", "is_offline", "offline"]
