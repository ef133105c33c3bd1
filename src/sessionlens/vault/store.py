"""Database engines and migrations.

SQLite (the embedded default) runs in WAL mode with ``synchronous=FULL`` so a committed import
survives power loss, ``secure_delete`` so deleted rows are overwritten rather than left in free
pages, and ``temp_store=MEMORY`` so sorts never spill to temp files. Every SQLite transaction
starts with ``BEGIN IMMEDIATE``: almost every use case appends to the audit chain, and taking
the write lock up front keeps two processes from forking it. PostgreSQL gets the same schema
from the same migrations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from ..errors import InputError
from .audit_batch import read_only
from .home import DB_FILENAME, sqlite_url  # noqa: F401  (callers of store use them too)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_BUSY_TIMEOUT_MS = 30_000  # how long a statement waits for another connection's lock
_CHECKPOINT_WAIT_MS = 2_000  # one shred checkpoint attempt's wait for readers (compact retries a few times)


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the durability and privacy settings above."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": _BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    if url.startswith("postgresql"):
        if url.startswith(("postgresql://", "postgres://")):  # the driver this package ships: psycopg 3
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        return create_engine(url, pool_pre_ping=True)
    raise InputError(f"unsupported database URL scheme (use sqlite:/// or postgresql+psycopg://): {url.split(':')[0]}")


def _sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:  # SQLAlchemy's connect event hands in DBAPI objects
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _sqlite_on_begin)
    cur = dbapi_conn.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "secure_delete=ON",
                   "temp_store=MEMORY"):
        cur.execute(f"PRAGMA {pragma}")
    cur.close()


def _sqlite_on_begin(conn: Connection) -> None:
    # A read request writes nothing itself (vault/audit_batch.py): it reads beside the one writer.
    conn.exec_driver_sql("BEGIN" if read_only() else "BEGIN IMMEDIATE")


_REVISION = re.compile(r'^(down_revision|revision) = (?:"([^"]*)"|None)$', re.M)


def head_revision() -> str:
    """The newest migration's id, read from the migration files (Alembic itself is not loaded)."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found: dict[str, str] = dict(_REVISION.findall(path.read_text(encoding="utf-8")))
        revisions.add(found["revision"])
        parents.add(found.get("down_revision") or "")
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads")
    return heads.pop()


def _at_head(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [head_revision()]
    except SQLAlchemyError:  # no version table yet (a new database): Alembic creates everything
        return False


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest revision (idempotent; a vault already there does not load Alembic)."""
    if _at_head(engine):
        return
    from alembic import command  # only when migrating: opening a vault stays light
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def has_schema(engine: Engine) -> bool:
    try:
        return inspect(engine).has_table("vault_meta")
    except OperationalError as exc:
        raise InputError(f"cannot open the vault database ({type(exc.orig).__name__})") from None


# Tables whose dead rows could hold a wrapped key or a record's bytes: rewritten (VACUUM FULL) after a shred.
_REWRITE = ("client_keys", "account_keys", "share_keys", "clients", "consents", "sessions", "shares", "reflections",
            "job_stages", "blobs", "blob_chunks")


def compact(engine: Engine, *, attempts: int = 20) -> dict[str, object]:
    """Push deleted data out of the files after a shred, and say whether it worked.

    SQLite: ``secure_delete`` already zeroes the freed pages; a TRUNCATE checkpoint copies the WAL into the
    database and empties it. A reader can keep it busy — it is retried, and a checkpoint that never
    completes raises (the WAL would still hold the deleted rows). PostgreSQL: ``VACUUM FULL`` rewrites each
    table into new files (plain VACUUM only marks dead tuples reusable), then a CHECKPOINT lets the WAL
    holding them be recycled (skipped without the privilege; the rotated KEK covers what stays there).
    """
    if engine.dialect.name == "sqlite":
        return {"wal_checkpointed": _sqlite_checkpoint(engine, attempts)}
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in _REWRITE:
                conn.execute(text(f"VACUUM FULL {table}"))
            try:
                conn.execute(text("CHECKPOINT"))
                checkpointed = True
            except SQLAlchemyError:  # needs superuser or pg_checkpoint
                checkpointed = False
        return {"vacuum_full": list(_REWRITE), "checkpoint": checkpointed}
    return {}


def _sqlite_checkpoint(engine: Engine, attempts: int) -> bool:
    import time

    for attempt in range(attempts):
        with engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            # Each attempt waits for readers at most _CHECKPOINT_WAIT_MS, not the pool's 30 s busy timeout:
            # a reader that keeps its snapshot would otherwise hold the shred for attempts x 30 s.
            raw.execute(f"PRAGMA busy_timeout = {_CHECKPOINT_WAIT_MS}")  # type: ignore[union-attr]  # sqlite3 connection
            try:
                busy = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]  # type: ignore[union-attr]  # PRAGMA wal_checkpoint always returns one row
            finally:
                raw.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")  # type: ignore[union-attr]  # sqlite3 connection
        if busy == 0:  # completed: the WAL was copied into the database and truncated to zero bytes
            return True
        time.sleep(0.05 * (attempt + 1))
    from ..errors import IntegrityError

    raise IntegrityError("record vault.db-wal could not be emptied after the shred (another connection kept "
                         "reading); the deleted rows stay in it until the last sessionlens process closes the vault")


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """One atomic unit of work: everything inside commits together or not at all."""
    with engine.begin() as conn:
        yield conn


def network_hosts(engine: Engine) -> tuple[str, ...]:
    """The database server's host, which the network guard must leave reachable (none for SQLite)."""
    host = engine.url.host if engine.dialect.name != "sqlite" else None
    return (host,) if host else ()
