"""Attack: open a shredded client's records from what the shred left behind (issue 17, finding 8).

What survived a shred before: the job checkpoints sealed under the client's DEK (the upload included),
copies of the wrapped DEK in PostgreSQL dead tuples or WAL (plain VACUUM) — still opened by the clinician's
unchanged account KEK — and a SQLite WAL a busy checkpoint silently left full. Now the checkpoints go with
the key, the account KEK rotates (a surviving copy is wrapped by a key that exists nowhere), PostgreSQL gets
VACUUM FULL, and a SQLite checkpoint that cannot complete is an error, not silence.
"""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select

from sessionlens.errors import IntegrityError
from sessionlens.services import analyses, clients, consent, sessions
from sessionlens.vault import job_rows, keys, store, tenancy
from sessionlens.vault.models import client_keys, job_stages
from tests.server.conftest import (  # noqa: F401  (fixtures)
    DEMO, PASSWORDS, _derive_once, pg_url, server, server_template, settings,
)


def _client(ctx, name: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    cid = clients.add_client(ctx, name)["id"]
    consent.record_consent(ctx, cid, ("recording", "analysis"))
    return cid, sessions.import_session(ctx, cid, DEMO.read_bytes(), source="demo.vtt")["id"]


@pytest.mark.postgres
def test_a_surviving_wrapped_key_and_checkpoints_do_not_open_after_a_shred(server) -> None:  # noqa: F811
    alice = server.ctx["alice"]
    gone, _ = _client(alice, "Shredded Person")
    kept, kept_session = _client(alice, "Kept Person")
    with server.vault.transaction() as conn:
        key = conn.execute(select(client_keys).where(client_keys.c.client_id == gone)).one()  # a copy "in WAL"
        job_rows.save_stage(server.vault, conn, "j-test0001", "upload", key.key_id, key.version, b"the upload")
    clients.shred_client(alice, gone)

    with server.vault.engine.connect() as conn:
        assert conn.execute(select(job_stages).where(job_stages.c.key_id == key.key_id)).first() is None
    kek_now = server.vault.account_kek(alice.actor.id)
    with pytest.raises(IntegrityError):  # the clinician's current KEK no longer opens the surviving copy
        keys.unwrap_dek(kek_now, key.wrapped, key_id=key.key_id, version=key.version, client_id=gone,
                        kek_id=f"akek:{alice.actor.id}")
    assert analyses.read_analysis(alice, kept_session)["metrics"]  # the rest was rewrapped, still opens
    fresh = tenancy.open_with_account(store.make_engine(server.url), settings(), "alice", PASSWORDS["alice"])
    try:  # and her password opens the new KEK: nothing else changed for her
        assert fresh.account_kek(alice.actor.id) == kek_now
    finally:
        fresh.close()


def test_a_wal_checkpoint_that_cannot_complete_is_an_error(tmp_path) -> None:
    engine = store.make_engine(store.sqlite_url(tmp_path))
    with store.transaction(engine) as conn:
        conn.exec_driver_sql("CREATE TABLE t (x BLOB)")
        conn.exec_driver_sql("INSERT INTO t VALUES (randomblob(4096))")
    reader = sqlite3.connect(tmp_path / store.DB_FILENAME)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM t").fetchone()  # a snapshot that keeps the WAL busy
        with store.transaction(engine) as conn:
            conn.exec_driver_sql("DELETE FROM t")
        with pytest.raises(IntegrityError, match="could not be emptied"):
            store.compact(engine, attempts=2)
    finally:
        reader.close()
    assert store.compact(engine) == {"wal_checkpointed": True}
    assert (tmp_path / (store.DB_FILENAME + "-wal")).stat().st_size == 0
    engine.dispose()


def test_a_failed_jobs_sealed_checkpoints_do_not_stay_forever(world) -> None:  # noqa: F811
    """Finding 8: failed jobs kept their sealed checkpoints, the upload included, forever."""
    from sqlalchemy import update

    from sessionlens.vault.models import jobs

    from ...vault.helpers import client_with_session

    client, _ = client_with_session(world)
    with world.vault.transaction() as conn:
        key = conn.execute(select(client_keys).where(client_keys.c.client_id == client)).first()
        old = job_rows.create(conn, owner_id=world.alice.actor.id, kind="transcript", client_id=client,
                              session_id=None)
        recent = job_rows.create(conn, owner_id=world.alice.actor.id, kind="transcript", client_id=client,
                                 session_id=None)
        for job in (old, recent):
            job_rows.save_stage(world.vault, conn, job, "upload", key.key_id, key.version, b"the upload")
        conn.execute(update(jobs).where(jobs.c.id.in_((old, recent))).values(state="failed"))
        conn.execute(update(jobs).where(jobs.c.id == old).values(updated_at="2020-01-01T00:00:00.000000Z"))
    with world.vault.transaction() as conn:  # the next job submitted sweeps them
        job_rows.create(conn, owner_id=world.alice.actor.id, kind="transcript", client_id=client, session_id=None)
        assert job_rows.stages_stored(conn, old) == set()
        assert job_rows.stages_stored(conn, recent) == {"upload"}  # still retryable within CHECKPOINT_DAYS
