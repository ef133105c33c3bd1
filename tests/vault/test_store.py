"""Store: migrations match the models, SQLite durability pragmas, per-record integrity (both backends)."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text, update

from sessionlens.errors import IntegrityError
from sessionlens.services import analyses, clients, consent, notes, sessions
from sessionlens.vault import blobs, records, store
from sessionlens.vault.models import accounts, blobs as blob_table, client_keys, clients as client_table, consents
from sessionlens.vault.models import metadata, sessions as session_table, shares

from .helpers import BACKENDS, DEMO, client_with_session


@BACKENDS
def test_migrations_create_exactly_the_model_schema(world):
    with world.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


@BACKENDS
def test_migrate_is_idempotent(world):
    _, session = client_with_session(world)
    with world.engine.connect() as conn:
        before = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    store.migrate(world.engine)
    store.migrate(world.engine)
    with world.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == before
        assert before == [store.head_revision()]  # the files' head, read without Alembic, is what was applied
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        assert conn.execute(text("SELECT id FROM sessions")).scalars().all() == [session]  # data untouched


def test_sqlite_runs_wal_synchronous_full_secure_delete(world):
    with world.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA secure_delete")).scalar() == 1
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def _flip(world, table, key_col, key, col):
    with world.engine.begin() as conn:
        value = conn.execute(select(table.c[col]).where(table.c[key_col] == key)).scalar()
        if isinstance(value, bytes):
            changed = bytearray(value)
            changed[len(changed) // 2] ^= 0x04
            changed = bytes(changed)
        else:
            changed = value[:-1] + ("0" if value[-1] != "0" else "1")
        conn.execute(update(table).where(table.c[key_col] == key).values({col: changed}))


def _read_everything(world, client_id, session_id):
    """Read every sealed record; return the ids that fail with IntegrityError."""
    failed = []
    with world.vault.transaction() as conn:
        for table, name in ((client_table, "clients"), (consents, "consents"), (session_table, "sessions")):
            for row in conn.execute(select(table)).all():
                try:
                    records.open_row(world.vault, conn, name, row)
                except IntegrityError as exc:
                    assert row.id in str(exc)
                    failed.append(row.id)
        for row in conn.execute(select(blob_table.c.id)).all():
            try:
                blobs.get(world.vault, conn, row.id)
            except IntegrityError as exc:
                assert row.id in str(exc)
                failed.append(row.id)
    return failed


@BACKENDS
def test_a_flipped_bit_in_any_sealed_record_names_it_and_spares_the_rest(world):
    client, session = client_with_session(world)
    other_client, _ = client_with_session(world, name="Other Person")
    with world.engine.connect() as conn:
        targets = [(client_table, "id", client, "sealed"), (session_table, "id", session, "sealed")]
        targets += [(consents, "id", r, "sealed") for r in conn.execute(
            select(consents.c.id).where(consents.c.client_id == client)).scalars()]
        targets += [(blob_table, "id", r, "content") for r in conn.execute(
            select(blob_table.c.id).where(blob_table.c.session_id == session)).scalars()]
    assert _read_everything(world, client, session) == []
    for table, key_col, key, col in targets:
        _flip(world, table, key_col, key, col)
        assert _read_everything(world, client, session) == [key], f"{table.name}.{col}"
        _flip(world, table, key_col, key, col)  # flip back: readable again
    assert _read_everything(world, client, session) == []
    assert other_client


@BACKENDS
def test_plaintext_row_metadata_is_bound_too(world):
    client, session = client_with_session(world)
    analysis_id = sessions.show_session(world.alice, session)["records"][0]["id"]
    with world.engine.begin() as conn:
        conn.execute(update(blob_table).where(blob_table.c.id == analysis_id).values(kind="note"))
    with world.vault.transaction() as conn, pytest.raises(IntegrityError, match=analysis_id):
        blobs.get(world.vault, conn, analysis_id)
    with world.engine.begin() as conn:
        conn.execute(update(session_table).where(session_table.c.id == session).values(
            created_at="2020-01-01T00:00:00.000000Z"))
    with pytest.raises(IntegrityError, match=session):
        sessions.list_sessions(world.alice)
    assert client


@BACKENDS
def test_ciphertext_swapped_between_rows_does_not_open(world):
    _, s1 = client_with_session(world)
    notes.store_note(world.alice, s1, {"a": 1})
    notes.store_note(world.alice, s1, {"b": 2})
    with world.engine.begin() as conn:
        rows = conn.execute(select(blob_table.c.id, blob_table.c.content).where(blob_table.c.kind == "note")).all()
        (id1, c1), (id2, c2) = rows
        conn.execute(update(blob_table).where(blob_table.c.id == id1).values(content=c2))
        conn.execute(update(blob_table).where(blob_table.c.id == id2).values(content=c1))
    with pytest.raises(IntegrityError):
        notes.read_note(world.alice, s1)


@BACKENDS
def test_wrapped_key_and_account_and_share_tampering_detected(world):
    client, session = client_with_session(world)
    sessions.share_session(world.alice, session, "bob")
    with world.engine.connect() as conn:
        key_id = conn.execute(select(client_keys.c.key_id).where(client_keys.c.client_id == client)).scalar()
        share_id = conn.execute(select(shares.c.id)).scalar()
    _flip(world, client_keys, "key_id", key_id, "wrapped")
    with pytest.raises(IntegrityError, match=key_id):
        clients.show_client(world.alice, client)
    _flip(world, client_keys, "key_id", key_id, "wrapped")
    with world.engine.begin() as conn:  # a supervisor promoted on disk
        conn.execute(update(accounts).where(accounts.c.username == "bob").values(role="clinician"))
    from sessionlens.services import accounts as account_svc

    with pytest.raises(IntegrityError, match=world.bob.actor.id):
        account_svc.list_accounts(world.alice)
    with world.engine.begin() as conn:
        conn.execute(update(accounts).where(accounts.c.username == "bob").values(role="supervisor"))
        conn.execute(update(shares).where(shares.c.id == share_id).values(created_at="2020-01-01T00:00:00.000000Z"))
    with pytest.raises(IntegrityError, match=share_id):
        analyses.read_analysis(world.bob, session)


@BACKENDS
def test_a_failed_import_leaves_nothing_behind(world, monkeypatch):
    client = clients.add_client(world.alice, "Someone")["id"]
    consent.record_consent(world.alice, client)
    with world.engine.connect() as conn:
        audit_before = conn.execute(text("SELECT count(*) FROM audit_log")).scalar()
    real_put, calls = blobs.put, []

    def failing_put(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk on fire")
        return real_put(*args, **kwargs)

    monkeypatch.setattr(blobs, "put", failing_put)
    with pytest.raises(RuntimeError):
        sessions.import_session(world.alice, client, DEMO.read_bytes(), source="demo.vtt")
    with world.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sessions")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM blobs")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() == audit_before
    with world.vault.transaction() as conn:
        assert world.vault.verify_audit(conn).ok


def test_a_reading_transaction_leaves_the_sqlite_write_lock_free(world):
    """The 4 MiB reads that stream a recording into the decoder run while others write (a long transcription
    must not queue every writer behind its reads)."""
    from sessionlens.vault.audit_batch import reading, writing

    client, _ = client_with_session(world)
    with reading(), world.vault.transaction() as conn:
        assert conn.execute(select(client_table.c.id)).scalars().all() == [client]
        with writing(), world.engine.connect() as other:
            other.connection.driver_connection.execute("PRAGMA busy_timeout = 200")  # fail fast if the reader locked
            with other.begin():
                other.execute(update(session_table).values(created_at=session_table.c.created_at))
