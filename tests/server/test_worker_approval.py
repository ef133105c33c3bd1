"""`sessionlens worker list|approve|revoke`: admin only, audited, signed by the anchor key; and the commands.
Real PostgreSQL and Redis (a private schema, key prefix or database); the anchor directory is the test's own."""

from __future__ import annotations

import json
import secrets

import pytest
import redis
from sqlalchemy import select

from sessionlens.cli import run
from sessionlens.errors import InputError, PermissionDeniedError
from sessionlens.jobs.worker_identity import load_or_create
from sessionlens.services import clients, consent, server_jobs, worker_registry, workers
from sessionlens.services.keyring import NO_WORKER_STEP, ApprovedWorkers, RedisKeyring
from sessionlens.vault import anchor, worker_approvals
from sessionlens.vault.models import audit_log

from .conftest import DEMO, PASSPHRASE, REDIS

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


class _NoRunner:
    def dispatch(self, job_id: str) -> None:  # no worker process here: routing is what is checked
        pass


@pytest.fixture
def admin(anchored_admin):  # type: ignore[no-untyped-def]
    return anchored_admin


def test_the_admin_approves_a_running_worker_and_revokes_it(server, admin, redis_prefix, tmp_path) -> None:
    keyring = RedisKeyring(REDIS, prefix=redis_prefix)
    me = load_or_create(tmp_path / "worker-state")
    worker_registry.announce(keyring.client, redis_prefix, me.public, "worker-x")
    [shown] = workers.list_workers(admin, keyring=keyring)
    assert shown["id"] == me.id and shown["fingerprint"] == me.fingerprint and shown["live"]
    assert not shown["approved"]

    assert workers.approve_worker(admin, me.id, keyring=keyring)["approved"]
    assert worker_approvals.approved_keys(tmp_path / "anchor") == {me.id: me.public}
    assert workers.list_workers(admin, keyring=keyring)[0]["approved"]
    with pytest.raises(InputError, match="not running"):
        workers.approve_worker(admin, "w-0000000000000000", keyring=keyring)
    with pytest.raises(PermissionDeniedError):
        workers.approve_worker(server.ctx["alice"], me.id, keyring=keyring)  # a clinician approves nothing

    alice = server.ctx["alice"]
    cid = clients.add_client(alice, "Jane Example")["id"]
    consent.record_consent(alice, cid)
    web = RedisKeyring(REDIS, prefix=redis_prefix)
    web.recipients = ApprovedWorkers(web.client, redis_prefix, tmp_path / "anchor")
    job_id = server_jobs.submit_transcript(alice, cid, DEMO.read_bytes(), source="demo.vtt", runner=_NoRunner(),
                                           keyring=web)["id"]
    assert web.route(job_id) == me.id  # its grant waits for this worker, not taken yet
    assert workers.revoke_worker(admin, me.id, keyring=keyring) == me.id
    assert worker_approvals.approved_keys(tmp_path / "anchor") == {}
    assert web.route(job_id) is None and web.client.get(web.grant_key(job_id, me.id)) is None
    assert server_jobs.job_status(alice, job_id)["step"] == NO_WORKER_STEP  # the sweep seals it for another
    with pytest.raises(InputError, match="not on the approved list"):
        workers.revoke_worker(admin, me.id, keyring=keyring)
    with server.vault.transaction() as conn:
        actions = [(r.action, r.target) for r in conn.execute(select(audit_log.c.action, audit_log.c.target))]
    assert ("worker.approve", me.id) in actions and ("worker.revoke", me.id) in actions
    assert [a for a, t in actions if t == me.id and a.startswith("refused:")] == ["refused:vault.manage"]  # alice


def test_worker_commands_list_and_approve(server, tmp_path, monkeypatch, capsys) -> None:
    anchor.signing_key(tmp_path / "anchor", create=True)
    db = secrets.randbelow(14) + 1
    for key, value in {"SESSIONLENS_DATABASE_URL": server.url, "SESSIONLENS_PASSPHRASE": PASSPHRASE,
                       "SESSIONLENS_AUDIT_ANCHOR_DIR": str(tmp_path / "anchor"), "SESSIONLENS_KDF_MEMORY_MIB": "64",
                       "SESSIONLENS_KDF_PARALLELISM": "1",
                       "SESSIONLENS_BROKER_URL": f"redis://127.0.0.1:6379/{db}"}.items():
        monkeypatch.setenv(key, value)
    client = redis.Redis.from_url(f"redis://127.0.0.1:6379/{db}")
    me = load_or_create(tmp_path / "worker-state")
    try:
        worker_registry.announce(client, "sessionlens", me.public, "worker-x")
        capsys.readouterr()
        assert run(["worker", "list", "--json"]) == 0
        assert [(w["id"], w["approved"], w["live"]) for w in json.loads(capsys.readouterr().out)] == [(me.id, False, True)]
        assert run(["worker", "approve", me.id]) == 0
        assert me.fingerprint in capsys.readouterr().out
        assert run(["worker", "approve", "w-0000000000000000"]) == 2  # not running: one line, exit 2
        assert "not running" in capsys.readouterr().err
        assert run(["worker", "list"]) == 0 and f"{me.id}  approved  live" in capsys.readouterr().out
    finally:
        worker_registry.withdraw(client, "sessionlens", me.id)
