"""The network guard: while processing, any attempt to reach the network raises NetworkRefusedError.

``with offline() as guard:`` patches the socket module (``socket`` and the C ``_socket`` beneath it)
so that connecting, sending to an address (``sendto``, ``sendmsg``), or resolving a name for an
internet (AF_INET/AF_INET6) socket is refused — and recorded in ``guard.attempts`` even when
the caller swallows the error (some libraries retry or fall back silently; the test checks the
record is empty). Local AF_UNIX sockets stay usable. Guards nest; the patches come off when the
outermost one exits. Connections opened *before* the guard (e.g. a PostgreSQL pool) keep working.

The guard is strictest on the thread that entered it: there only ``allow`` hosts are reachable. Other
threads of the process (a web server's other requests, helper threads the processing starts) keep
loopback and the service hosts registered with :func:`allow_services` (the database, the broker) and
nothing else, so one guarded import never blocks another request's Redis or database connection, and
no thread can reach the internet while processing runs. Limits: only Python-level sockets are seen; a C extension that opens its own sockets
(libpq itself, for instance) bypasses the guard. The defence there is shipping no library that
fetches anything, and an OS-level sandbox for the strictest setups (see docs/security.md).
"""

from __future__ import annotations

import _socket
import socket
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .errors import NetworkRefusedError

_INET = (socket.AF_INET, socket.AF_INET6)
_LOOPBACK = ("localhost", "::1", "ip6-localhost")
_lock = threading.RLock()
_depth = 0
_saved: dict[str, Any] = {}  # the originals patched over (functions and a class), put back as they were
_active: list[Guard] = []
_services: set[str] = set()  # hosts any *other* thread may reach while a guard is active


@dataclass
class Guard:
    """What the processing under this guard tried to reach (address family and a coarse target)."""

    attempts: list[str] = field(default_factory=list)
    allow: set[str] = field(default_factory=set)  # allowed host names, plus the addresses they resolved to
    thread: int = field(default_factory=threading.get_ident)


def allow_services(settings: Any) -> set[str]:
    """Register the process's own service hosts (its database, and its broker when jobs run on Celery):
    other threads keep reaching them while a guard is active. Returns the hosts registered."""
    from urllib.parse import urlsplit

    urls = [getattr(settings, "database_url", "") or ""]
    if getattr(settings, "job_runner", "") == "celery":
        urls.append(getattr(settings, "broker_url", "") or "")
    hosts = {urlsplit(u).hostname or "" for u in urls if "://" in u} - {""}
    with _lock:
        _services.update(hosts)
    return hosts


def _loopback(target: str) -> bool:
    return target in _LOOPBACK or target.startswith("127.") or target == "::ffff:127.0.0.1"


def _allowed(target: str) -> bool:
    me = threading.get_ident()
    for g in _active:
        if g.thread == me:
            if target not in g.allow:
                return False
        elif not (_loopback(target) or target in _services or target in g.allow):
            return False
    return bool(_active)


def _refuse(what: str, target: str) -> None:
    if _allowed(target):
        return
    for g in list(_active):
        g.attempts.append(what)
    raise NetworkRefusedError(f"network access refused while processing offline ({what})")


def _target(address: Any) -> str:
    return str(address[0]) if isinstance(address, tuple) and address else "?"


def _wrap_method(name: str, cls: type = socket.socket) -> Callable[..., Any]:
    original = getattr(cls, name)

    def guarded(self: socket.socket, *args: Any, **kwargs: Any) -> Any:
        if self.family in _INET:
            address = _address(name, args, kwargs)
            if name in ("connect", "connect_ex", "sendto") or address is not None:  # sendmsg without one: connected
                _refuse(f"{name} {_target(address)}", _target(address))
        return original(self, *args, **kwargs)

    guarded.__name__ = name
    return guarded


def _address(name: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> Any:
    if name == "sendto":
        return args[-1] if args else kwargs.get("address")
    if name == "sendmsg":  # sendmsg(buffers, ancdata=(), flags=0, address=None)
        return args[3] if len(args) > 3 else kwargs.get("address")
    return args[0] if args else kwargs.get("address")


def _learn(name: str, addresses: set[str]) -> None:
    me = threading.get_ident()
    with _lock:
        for g in _active:
            if g.thread == me or name in g.allow:
                g.allow.update(addresses)
        if name in _services:
            _services.update(addresses)


def _wrap_resolver(name: str, module: Any = socket) -> Callable[..., Any]:
    original = getattr(module, name)

    def guarded(*args: Any, **kwargs: Any) -> Any:
        target = _target(args[0]) if name in ("create_connection", "getnameinfo") else str(args[0] if args else "?")
        _refuse(f"{name} {target}", target)
        result = original(*args, **kwargs)
        found: set[str] = set()
        if name == "getaddrinfo":  # an allowed name: its addresses become connectable (by whom it was allowed)
            found = {str(info[4][0]) for info in result}
        elif name == "gethostbyname":
            found = {str(result)}
        if found:
            _learn(target, found)
        return result

    guarded.__name__ = name
    return guarded


_METHODS = ("connect", "connect_ex", "sendto", "sendmsg")
_RESOLVERS = ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr", "getnameinfo", "create_connection")
# The C module under ``socket``: code that makes ``_socket.socket`` objects gets a guarded subclass instead
# (the built-in type's methods cannot be patched in place), and its resolvers are guarded too.
_C_RESOLVERS = ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr", "getnameinfo")


def _guarded_c_socket() -> type:
    base = _socket.socket
    return type("socket", (base,), {name: _wrap_method(name, base) for name in _METHODS})


def _install() -> None:
    for name in _METHODS:
        _saved[f"socket.{name}"] = getattr(socket.socket, name)
        setattr(socket.socket, name, _wrap_method(name))
    for name in _RESOLVERS:
        _saved[name] = getattr(socket, name)
        setattr(socket, name, _wrap_resolver(name))
    _saved["_socket.socket"] = _socket.socket
    _socket.socket = _guarded_c_socket()  # type: ignore[assignment,misc]  # socket.socket keeps its own (original) base
    for name in _C_RESOLVERS:
        _saved[f"_socket.{name}"] = getattr(_socket, name)
        setattr(_socket, name, _wrap_resolver(name, _socket))


def _uninstall() -> None:
    for name in _METHODS:
        setattr(socket.socket, name, _saved.pop(f"socket.{name}"))
    for name in _RESOLVERS:
        setattr(socket, name, _saved.pop(name))
    _socket.socket = _saved.pop("_socket.socket")  # type: ignore[misc]  # the original class, put back
    for name in _C_RESOLVERS:
        setattr(_socket, name, _saved.pop(f"_socket.{name}"))


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


__all__ = ["Guard", "allow_services", "is_offline", "offline"]
