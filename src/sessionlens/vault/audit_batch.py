"""Audit without a write bottleneck: one entry per read request, appended by one writer per vault.

Every read used to append to the hash chain inside its own transaction, so concurrent readers queued
on the database's single writer (SQLite) or on the chain head's row lock (PostgreSQL). Inside a
:func:`request_scope` opened for a read request, :meth:`Vault.audit` hands the event to the request's
:class:`Collector` instead; when the response is about to start, :func:`flush` turns the request's
events into **one** entry (the event itself when there is one, else a summary naming every action
and record) and waits until the vault's :class:`Writer` has committed it. The writer appends whatever
requests are queued in one transaction (group commit), through the same chain append as everything
else, so the chain stays verifiable, and no response leaves before its entry is durable.

Writes are not deferred: a change and its audit entry still commit in one transaction.
"""

from __future__ import annotations

import queue
import threading
import weakref
from collections.abc import Iterator, Mapping
from concurrent.futures import Future
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .audit import Entry, canonical_detail

if TYPE_CHECKING:
    from .vault import Vault

BATCH = 512  # requests committed together at most
IDLE_SECONDS = 5.0  # a writer with nothing to do ends; the next request starts another


@dataclass(frozen=True, slots=True)
class Event:
    actor: str
    action: str
    target: str
    detail: dict[str, Any]  # raw JSON boundary: audit detail fields (audit.canonical_detail checks them)


@dataclass
class Collector:
    """The audit events of one request (a request reads through one vault)."""

    vault: Any = None
    events: list[Event] = field(default_factory=list)
    # Accounts whose signed role this read request already verified: services.permissions checks the role
    # at the request's first unit of work, not again at each of the next ones (a few milliseconds apart).
    roles_checked: set[str] = field(default_factory=set)

    def add(self, vault: Vault, *, actor: str, action: str, target: str,
            detail: Mapping[str, Any] | None = None) -> Entry:
        canonical_detail(detail)  # refuse bad details now, where the caller can see it
        self.vault = vault
        self.events.append(Event(actor, action, target, dict(detail or {})))
        return Entry(0, "", actor, action, target, "", "", "", "")  # appended when the request answers


_SINK: ContextVar[Collector | None] = ContextVar("sessionlens_audit_sink", default=None)
_READ_ONLY: ContextVar[bool] = ContextVar("sessionlens_read_only", default=False)


def deferred() -> Collector | None:
    """The collector of the current read request, if any (``Vault.audit`` then defers to it)."""
    return _SINK.get()


def read_only() -> bool:
    """True inside a read request: SQLite transactions need not take the write lock up front."""
    return _READ_ONLY.get()


@contextmanager
def request_scope() -> Iterator[Collector]:
    collector = Collector()
    sink, ro = _SINK.set(collector), _READ_ONLY.set(True)
    try:
        yield collector
    finally:
        _SINK.reset(sink)
        _READ_ONLY.reset(ro)


@contextmanager
def writing() -> Iterator[None]:
    """Inside a read request, a transaction that writes (a derived record kept for later reads): SQLite
    takes the write lock up front again, so it waits for the writer instead of failing to upgrade a read."""
    ro = _READ_ONLY.set(False)
    try:
        yield
    finally:
        _READ_ONLY.reset(ro)


@contextmanager
def reading() -> Iterator[None]:
    """A transaction that only reads (a 4 MiB range of a sealed recording, streamed into the decoder): on
    SQLite it does not take the write lock, so a long transcription's reads never queue other writers."""
    ro = _READ_ONLY.set(True)
    try:
        yield
    finally:
        _READ_ONLY.reset(ro)


def summarize(events: list[Event], route: str, status: int) -> list[Event]:
    """One entry per request and actor: the event itself when it is the only one, else a summary."""
    by_actor: dict[str, list[Event]] = {}
    for e in events:
        by_actor.setdefault(e.actor, []).append(e)
    out = []
    for actor, mine in by_actor.items():
        if len(mine) == 1:
            out.append(Event(actor, mine[0].action, mine[0].target, {**mine[0].detail, "route": route}))
            continue
        out.append(Event(actor, "request.read", mine[0].target, {
            "route": route, "status": status, "actions": [e.action for e in mine],
            "targets": [e.target for e in mine]}))
    return out


@dataclass
class _Job:
    events: list[Event]
    done: Future[list[Entry]] = field(default_factory=Future)


class Writer:
    """The one thread that appends deferred entries for a vault, many requests per transaction."""

    def __init__(self, vault: Vault) -> None:
        self._vault = weakref.ref(vault)
        self._queue: queue.Queue[_Job] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, events: list[Event]) -> Future[list[Entry]]:
        job = _Job(events)
        with self._lock:
            self._queue.put(job)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="sl-audit-writer", daemon=True)
                self._thread.start()
        return job.done

    def _run(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                with self._lock:
                    if self._queue.empty():
                        self._thread = None
                        return
                continue
            batch = [first]
            while len(batch) < BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._commit(batch)

    def _commit(self, batch: list[_Job]) -> None:
        vault = self._vault()
        try:
            if vault is None:
                raise RuntimeError("the vault was closed")
            results: list[list[Entry]] = []
            with vault.transaction() as conn:
                for job in batch:
                    results.append([vault.audit(conn, actor=e.actor, action=e.action, target=e.target,
                                                detail=e.detail) for e in job.events])
        except BaseException as exc:  # noqa: BLE001 - every waiting request learns it failed
            for job in batch:
                job.done.set_exception(exc)
            return
        for job, entries in zip(batch, results, strict=True):
            job.done.set_result(entries)


_WRITERS: weakref.WeakKeyDictionary[Any, Writer] = weakref.WeakKeyDictionary()
_WRITERS_LOCK = threading.Lock()


def writer_for(vault: Vault) -> Writer:
    with _WRITERS_LOCK:
        found = _WRITERS.get(vault)
        if found is None:
            found = _WRITERS[vault] = Writer(vault)
        return found


def flush(collector: Collector, route: str, status: int, timeout: float = 60.0) -> list[Entry]:
    """Append the request's entry and wait until it is committed (raises if it could not be)."""
    if not collector.events or collector.vault is None:
        return []
    events, collector.events = collector.events, []
    return writer_for(collector.vault).submit(summarize(events, route, status)).result(timeout)
