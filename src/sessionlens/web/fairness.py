"""One vault transaction at a time inside the server, in arrival order.

SQLite takes its write lock at BEGIN IMMEDIATE and makes other connections wait by sleeping and
retrying, which under 20 concurrent users lets some requests wait many seconds while others pass.
A lock taken just before BEGIN and released at commit/rollback queues them in the process instead.
Read requests skip it: they write nothing (their audit entry goes through the vault's one audit
writer, vault/audit_batch.py) and SQLite's WAL lets readers run beside the one writer.
"""

from __future__ import annotations

import threading

from sqlalchemy import Connection, Engine, event

from ..services.request_audit import read_only

_HELD = "sessionlens_fair_lock"


def serialise_transactions(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return  # PostgreSQL queues row locks itself
    lock = threading.RLock()

    def begin(conn: Connection) -> None:
        if read_only():
            return
        lock.acquire()
        conn.info[_HELD] = conn.info.get(_HELD, 0) + 1

    def end(conn: Connection) -> None:
        if not conn.info.get(_HELD):
            return
        conn.info[_HELD] -= 1
        try:
            lock.release()
        except RuntimeError:  # not held by this thread (begin failed before taking it)
            pass

    event.listen(engine, "begin", begin, insert=True)
    event.listen(engine, "commit", end)
    event.listen(engine, "rollback", end)
