"""`sessionlens worker list|approve|revoke` as use cases: admin only, audited, signed by the anchor key.
Real PostgreSQL and Redis (a private schema and key prefix); the anchor directory is the test's own."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sessionlens.errors import InputError, PermissionDeniedError
from sessionlens.jobs.worker_identity import load_or_create
from sessionlens.services import vaults, worker_registry, workers
from sessionlens.services.keyring import RedisKeyring
from sessionlens.vault import anchor, store, worker_approvals
from sessionlens.vault.models import audit_log
from sessionlens.vault.vault import Vault

from .conftest import PASSPHRASE, REDIS, settings

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture
def admin(server, tmp_path):  # type: ignore[no-untyped-def]
    anchor.signing_key(tmp_path / "anchor", create=True)
    vault = Vault.open(store.make_engine(server.url), passphrase=PASSPHRASE,
                       settings=settings(audit_anchor_dir=str(tmp_path / "anchor")))
    yield vaults.sign_in_owner(vault)
    vault.close()


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

    assert workers.revoke_worker(admin, me.id) == me.id
    assert worker_approvals.approved_keys(tmp_path / "anchor") == {}
    with pytest.raises(InputError, match="not on the approved list"):
        workers.revoke_worker(admin, me.id)
    with server.vault.transaction() as conn:
        actions = [(r.action, r.target) for r in conn.execute(select(audit_log.c.action, audit_log.c.target))]
    assert ("worker.approve", me.id) in actions and ("worker.revoke", me.id) in actions
    assert [a for a, t in actions if t == me.id and a.startswith("refused:")] == ["refused:vault.manage"]  # alice
