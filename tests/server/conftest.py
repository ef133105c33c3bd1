"""Practice-server fixtures: a vault in a private PostgreSQL schema, a Redis keyring under a private prefix.

The template vault (made once per run, Argon2 derivations memoised with the same parameters) has an admin
owner (vault passphrase), two clinicians with their own key hierarchies (alice, carol) and a supervisor.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sessionlens.config import Settings
from sessionlens.services import accounts as account_service
from sessionlens.services import vaults
from sessionlens.services.context import Ctx
from sessionlens.vault import backup, store
from sessionlens.vault.accounts import Role
from sessionlens.vault.vault import Vault

from ..vault.helpers import _derive_once  # noqa: F401  (the same autouse fixture: one memoised derivation)

PASSPHRASE = "practice owner passphrase"
PASSWORDS = {"alice": "alice-password-1", "carol": "carol-password-1", "bob": "bob-password-123"}
PG = "host=127.0.0.1 port=5432 user=postgres dbname=test"
PG_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS = "redis://127.0.0.1:6379/0"
DEMO = Path(__file__).resolve().parents[2] / "src" / "sessionlens" / "data" / "demo_session.vtt"


def settings(**overrides: object) -> Settings:
    return Settings({"kdf_memory_mib": 64, "kdf_parallelism": 1, **overrides}, env={})


@dataclass
class Template:
    vault_id: str
    kek: bytes
    dump: bytes
    recovery: str


@pytest.fixture(scope="session")
def server_template(tmp_path_factory: pytest.TempPathFactory, _derive_once: None) -> Template:  # noqa: F811
    directory = tmp_path_factory.mktemp("server-template")
    created = vaults.init_vault(PASSPHRASE, "admin", role=Role.ADMIN, data_dir=directory, settings=settings())
    owner = created.ctx
    account_service.add_account(owner, "alice", Role.CLINICIAN, PASSWORDS["alice"])
    account_service.add_account(owner, "carol", Role.CLINICIAN, PASSWORDS["carol"])
    account_service.add_account(owner, "bob", Role.SUPERVISOR, PASSWORDS["bob"])
    with owner.vault.transaction() as conn:
        dump = backup.dump(conn)
    t = Template(owner.vault.vault_id, owner.vault.kek, dump, created.recovery_key)
    owner.vault.close()
    return t


def pg_schema() -> tuple[str, str]:
    import psycopg

    schema = "srv_" + secrets.token_hex(6)
    try:
        with psycopg.connect(PG, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL at 127.0.0.1:5432 (database test, user postgres) is not answering: {exc}")
    return schema, f"{PG_BASE}?options=-csearch_path%3D{schema}"


def drop_schema(schema: str) -> None:
    import psycopg

    with psycopg.connect(PG, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture
def pg_url(server_template: Template) -> Iterator[str]:
    """A private schema holding a copy of the template vault."""
    schema, url = pg_schema()
    engine = store.make_engine(url)
    store.migrate(engine)
    with store.transaction(engine) as conn:
        backup.load(conn, server_template.dump)
    engine.dispose()
    try:
        yield url
    finally:
        drop_schema(schema)


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    import redis

    client = redis.Redis.from_url(REDIS, socket_connect_timeout=5)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.fail(f"Redis at 127.0.0.1:6379 is not answering: {exc}")
    prefix = "sltest-" + secrets.token_hex(4)
    yield prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@dataclass
class Server:
    url: str
    vault: Vault  # the server's shared vault (integrity keys; KEKs of whoever signed in)
    ctx: dict[str, Ctx]

    def sign_in(self, name: str) -> Ctx:
        self.ctx[name] = vaults.login(self.vault, name, PASSWORDS[name])
        return self.ctx[name]


@pytest.fixture
def server(pg_url: str, server_template: Template) -> Iterator[Server]:
    """The template on PostgreSQL, opened by alice's own keys (no passphrase), alice signed in."""
    from sessionlens.vault import tenancy

    vault = tenancy.open_with_account(store.make_engine(pg_url), settings(), "alice", PASSWORDS["alice"])
    s = Server(pg_url, vault, {})
    s.sign_in("alice")
    yield s
    vault.close()


@pytest.fixture
def anchored_admin(server: Server, tmp_path: Path) -> Iterator[Ctx]:
    """The owner (admin) signed in to the server's vault opened with an anchor directory (the anchor key signs
    the approved-workers list)."""
    from sessionlens.vault import anchor

    anchor.signing_key(tmp_path / "anchor", create=True)
    vault = Vault.open(store.make_engine(server.url), passphrase=PASSPHRASE,
                       settings=settings(audit_anchor_dir=str(tmp_path / "anchor")))
    yield vaults.sign_in_owner(vault)
    vault.close()
