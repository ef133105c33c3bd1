"""Fixtures shared by tests/vault and tests/security.

Argon2id runs with the shipped parameters; to keep the suite fast, each (passphrase, salt)
is derived once per test session (a memo around ``derive_passphrase_key``) and every test gets
a fresh copy of one template vault, loaded into SQLite or a private PostgreSQL schema.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sessionlens.config import Settings
from sessionlens.services.context import Ctx
from sessionlens.vault import accounts, backup, keys, store
from sessionlens.vault.accounts import Role
from sessionlens.vault.vault import Vault

PASSPHRASE = "correct horse battery staple"
PASSWORDS = {"carol": "carol-password-1", "bob": "bob-password-123", "dave": "dave-password-12"}
PG_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEMO = Path(__file__).resolve().parents[2] / "src" / "sessionlens" / "data" / "demo_session.vtt"


def make_settings(**overrides: object) -> Settings:
    return Settings(overrides, env={})


@pytest.fixture(scope="session", autouse=True)
def _derive_once() -> Iterator[None]:
    """Same parameters as shipped; only repeated derivations of the same input are memoised."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(keys, "derive_passphrase_key", functools.cache(keys.derive_passphrase_key))
        yield


@dataclass
class Template:
    vault_id: str
    kek: bytes
    dump: bytes
    recovery_key: str


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory, _derive_once: None) -> Template:
    directory = tmp_path_factory.mktemp("template")
    engine = store.make_engine(store.sqlite_url(directory))
    vault, recovery = Vault.create(engine, PASSPHRASE, make_settings())
    # Password hashes follow the kdf_* settings (issue 17, finding 10); the accounts use the 64 MiB floor.
    vault.settings = make_settings(kdf_memory_mib=64)
    with vault.transaction() as conn:
        accounts.create(vault, conn, "alice", Role.CLINICIAN, None, owner=True)
        accounts.create(vault, conn, "carol", Role.CLINICIAN, PASSWORDS["carol"])
        accounts.create(vault, conn, "bob", Role.SUPERVISOR, PASSWORDS["bob"])
        accounts.create(vault, conn, "dave", Role.ADMIN, PASSWORDS["dave"])
    with vault.transaction() as conn:
        dump = backup.dump(conn)
    t = Template(vault.vault_id, vault.kek, dump, recovery)
    vault.close()
    return t


def _pg_schema() -> tuple[str, str]:
    import psycopg

    schema = "t_" + secrets.token_hex(6)
    try:
        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True,
                             connect_timeout=5) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL at 127.0.0.1:5432 (database test, user postgres) is not answering: {exc}. "
                    "The store tests run against both SQLite and PostgreSQL; start the server.")
    return schema, f"{PG_BASE}?options=-csearch_path%3D{schema}"


def _drop_pg_schema(schema: str) -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh empty database: SQLite by default, PostgreSQL when parametrised with "postgres"."""
    kind = getattr(request, "param", "sqlite")
    if kind == "sqlite":
        yield store.sqlite_url(tmp_path)
        return
    schema, url = _pg_schema()
    try:
        yield url
    finally:
        _drop_pg_schema(schema)


BACKENDS = pytest.mark.parametrize("db_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
                                   indirect=True)


@dataclass
class World:
    vault: Vault
    engine: Engine
    alice: Ctx  # owner clinician
    carol: Ctx  # another clinician
    bob: Ctx  # supervisor
    dave: Ctx  # admin

    def ctx(self, name: str) -> Ctx:
        return getattr(self, name)


@pytest.fixture
def world(template: Template, db_url: str, tmp_path: Path) -> Iterator[World]:
    engine = store.make_engine(db_url)
    store.migrate(engine)
    with store.transaction(engine) as conn:
        backup.load(conn, template.dump)
    # The audit anchor lives outside the database, in this test's own directory (PostgreSQL too).
    vault = Vault(engine, template.vault_id, template.kek,
                  make_settings(audit_anchor_dir=str(tmp_path / "anchor"), kdf_memory_mib=64))
    with vault.transaction() as conn:
        ctxs = {n: Ctx(vault, accounts.get(vault, conn, n)) for n in ("alice", "carol", "bob", "dave")}
    yield World(vault, engine, **ctxs)
    vault.close()


def client_with_session(w: World, *, scopes: tuple[str, ...] = ("recording", "analysis", "supervision"),
                        data: bytes | None = None, name: str = "Jane Example") -> tuple[str, str]:
    """A client of alice with consent and one imported session; returns (client id, session id)."""
    from sessionlens.services import clients, consent, sessions

    client = clients.add_client(w.alice, name)["id"]
    consent.record_consent(w.alice, client, scopes)
    session = sessions.import_session(w.alice, client, data if data is not None else DEMO.read_bytes(),
                                      source="demo.vtt")["id"]
    return client, session
