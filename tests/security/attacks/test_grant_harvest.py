"""Attack: a compromised worker harvests keys from the Redis keyring (issue 17, finding 3).

A crafted upload that exploits a decoder runs code in a worker. Before: the keyring held every signed-in
clinician's account KEK under one secret shared by web and workers, with no expiry and no job binding.
Now, what such a worker can reach:
* the grant of a job holds only the data keys of that job's client — no account KEK, no vault KEK, and
  it opens nothing of the clinician's other clients;
* a grant moved to another job, or with its expiry pushed back, does not open; a lapsed one is gone;
* the web server's keyring file (the public half) opens no grant; grants are sealed to the workers' key.
Real PostgreSQL and Redis (a private schema and key prefix).
"""

from __future__ import annotations

import json
import secrets
import time

import pytest
import redis

from sessionlens.errors import ConfigError, IntegrityError
from sessionlens.services import clients, consent, server_jobs, sessions
from sessionlens.services.keyring import RedisKeyring
from sessionlens.vault import grants, job_rows
from sessionlens.vault.vault import KeysLockedError
from tests.server.conftest import DEMO, REDIS, pg_url, redis_prefix, server, server_template, settings  # noqa: F401
from tests.vault.helpers import _derive_once  # noqa: F401


class _NoRunner:
    def dispatch(self, job_id: str) -> None:  # the attack is on what a worker is handed, not on running
        pass


@pytest.fixture
def worker_key() -> tuple[bytes, bytes]:
    return grants.new_worker_key()


@pytest.fixture
def setup(server, redis_prefix, worker_key):  # type: ignore[no-untyped-def]  # noqa: F811
    private, public = worker_key
    alice = server.ctx["alice"]
    mine, other = (clients.add_client(alice, name)["id"] for name in ("Jane Example", "Other Client"))
    for cid in (mine, other):
        consent.record_consent(alice, cid)
    sessions.import_session(alice, other, DEMO.read_bytes(), source="demo.vtt")  # a record the job must not open
    web = RedisKeyring(REDIS, public=public, prefix=redis_prefix)
    job = server_jobs.submit_transcript(alice, mine, DEMO.read_bytes(), source="demo.vtt", runner=_NoRunner(),
                                        keyring=web)
    worker = RedisKeyring(REDIS, private=private, prefix=redis_prefix)
    return server, alice, job["id"], mine, other, web, worker


def test_grant_holds_only_the_jobs_client_keys(setup) -> None:  # type: ignore[no-untyped-def]
    server, alice, job_id, mine, other, _, worker = setup
    payload = json.loads(worker.job_grant(job_id))
    assert "kek" not in payload and payload["client"] == mine and payload["job"] == job_id
    with server.vault.transaction() as conn:
        from sqlalchemy import select

        from sessionlens.vault.models import client_keys

        mine_keys = {r.key_id for r in conn.execute(select(client_keys.c.key_id)
                                                    .where(client_keys.c.client_id == mine))}
    assert {d["key_id"] for d in payload["deks"]} == mine_keys
    held = alice.vault.account_kek(alice.actor.id)
    assert held.hex() not in json.dumps(payload)  # the account KEK is nowhere in it
    vault = grants.vault_from_job_grant(server.vault.engine, settings(), worker.job_grant(job_id), job_id,
                                        time.time())
    with server.vault.transaction() as conn:
        from sessionlens.vault.models import clients as clients_table

        row = conn.execute(select(clients_table.c.key_id, clients_table.c.key_version)
                           .where(clients_table.c.id == other)).first()
        with pytest.raises(KeysLockedError):
            vault.client_key(conn, row.key_id, row.key_version)


def test_grant_moved_to_another_job_or_with_a_later_expiry_does_not_open(setup) -> None:  # type: ignore[no-untyped-def]
    server, alice, job_id, mine, _, web, worker = setup
    client = redis.Redis.from_url(REDIS)
    stolen = client.get(worker.grant_key(job_id, worker.worker_id))
    with server.vault.transaction() as conn:
        second = job_rows.create(conn, owner_id=alice.actor.id, kind="transcript", client_id=mine, session_id=None)
    client.set(worker.grant_key(second, worker.worker_id), stolen, ex=600)
    with pytest.raises(IntegrityError):
        worker.job_grant(second)
    expires, _, sealed = stolen.partition(b"|")
    client.set(worker.grant_key(job_id, worker.worker_id), str(int(expires) + 86400).encode() + b"|" + sealed, ex=600)
    with pytest.raises(IntegrityError):
        worker.job_grant(job_id)


def test_grant_lapses_at_its_expiry(setup, worker_key) -> None:  # type: ignore[no-untyped-def]
    server, alice, job_id, _, _, web, worker = setup
    with server.vault.transaction() as conn:
        short = grants.job_grant(alice.vault, conn, job_id, int(time.time()) + 1)
    web.put_job(job_id, short, int(time.time()) + 1)
    assert worker.job_grant(job_id) is not None
    time.sleep(2.1)
    assert worker.job_grant(job_id) is None
    with pytest.raises(Exception, match="expired"):
        grants.vault_from_job_grant(server.vault.engine, settings(), short, job_id, time.time())


def test_grant_web_keyring_and_other_keys_open_nothing(setup) -> None:  # type: ignore[no-untyped-def]
    _, _, job_id, _, _, web, _ = setup
    with pytest.raises(ConfigError):
        web.job_grant(job_id)  # the web server holds only the public half
    stranger = RedisKeyring(REDIS, private=secrets.token_bytes(32), prefix=web.prefix)
    stolen = web.client.get(web.grant_key(job_id, web.route(job_id)))  # copied into the stranger's own keys
    web.client.set(stranger.grant_key(job_id, stranger.worker_id), stolen, ex=600)
    with pytest.raises(IntegrityError):
        stranger.job_grant(job_id)  # sealed to another key: it does not open
