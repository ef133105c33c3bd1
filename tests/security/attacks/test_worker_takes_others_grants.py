"""Attack: a compromised worker takes the grants of jobs queued for other workers (issue 17, open item 1).

Before: every worker held the one shared X25519 key (``keyring_secret_file``), so a worker taken over by a
crafted upload could take and open the grant of any queued job, including jobs no worker had started.
Now each worker has its own key pair; the web seals a job's grant to ONE live worker whose key is on the
anchor-signed approved list and routes the job to that worker's own queue. Worker B (approved, with its
own key) can neither take nor open a grant sealed to worker A; a worker that only announced itself
(not approved), or announced under another worker's id, or wrote itself into the approved list without
the anchor key, is never sealed a grant: the job waits, it does not fall back to any other key.
Real PostgreSQL and Redis (a private schema and key prefix).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import redis

from sessionlens.errors import IntegrityError
from sessionlens.jobs.worker_identity import Identity, load_or_create
from sessionlens.services import clients, consent, server_jobs, worker_registry
from sessionlens.services.keyring import ApprovedWorkers, RedisKeyring, hold_keys, route_waiting
from sessionlens.vault import anchor, grants, worker_approvals
from sessionlens.vault import job_rows as R
from tests.server.conftest import DEMO, REDIS, pg_url, redis_prefix, server, server_template  # noqa: F401
from tests.vault.helpers import _derive_once  # noqa: F401


class _NoRunner:
    def dispatch(self, job_id: str) -> None:  # the test plays the workers itself
        pass


@pytest.fixture
def place(server, redis_prefix, tmp_path: Path):  # type: ignore[no-untyped-def]  # noqa: F811
    """A server, an anchor directory with its key, two workers (own state dirs, own keys) and the web."""
    anchor_dir = tmp_path / "anchor"
    anchor.signing_key(anchor_dir, create=True)
    a, b = load_or_create(tmp_path / "worker-a"), load_or_create(tmp_path / "worker-b")
    web = RedisKeyring(REDIS, prefix=redis_prefix)
    web.recipients = ApprovedWorkers(web.client, redis_prefix, anchor_dir)
    alice = server.ctx["alice"]
    cid = clients.add_client(alice, "Jane Example")["id"]
    consent.record_consent(alice, cid)
    return server, alice, cid, anchor_dir, a, b, web


def _live(web: RedisKeyring, who: Identity, name: str) -> RedisKeyring:
    """``who`` runs: it announces itself and holds its own keyring."""
    worker_registry.announce(web.client, web.prefix, who.public, name)
    return RedisKeyring(REDIS, private=who.private, prefix=web.prefix)


def _submit(alice, cid: str, web: RedisKeyring) -> str:  # type: ignore[no-untyped-def]
    return server_jobs.submit_transcript(alice, cid, DEMO.read_bytes(), source="demo.vtt", runner=_NoRunner(),
                                         keyring=web)["id"]


def test_worker_b_cannot_take_or_open_a_grant_sealed_to_worker_a(place) -> None:  # type: ignore[no-untyped-def]
    _, alice, cid, anchor_dir, a, b, web = place
    keyrings = {a.id: _live(web, a, "worker-a"), b.id: _live(web, b, "worker-b")}
    for who in (a, b):
        worker_approvals.approve(anchor_dir, who.public, who.id, "admin")
    spy = redis.Redis.from_url(REDIS)
    for _ in range(4):
        job_id = _submit(alice, cid, web)
        routed = web.route(job_id)
        assert routed in keyrings
        owner, other = keyrings[routed], keyrings[({a.id, b.id} - {routed}).pop()]
        stored = spy.get(web.grant_key(job_id, routed))
        assert other.take_job(job_id) is None  # not routed to it: it is not handed the grant ...
        assert spy.get(web.grant_key(job_id, routed)) == stored  # ... and the grant stays for its worker
        assert other.job_grant(job_id) is None  # its own keys hold nothing for this job (and its Redis user
        # reaches no other: test_worker_steers_regrants.py); the grant itself, read as admin, does not open:
        expires, _, rest = stored.partition(b"|")
        with pytest.raises(IntegrityError):
            grants.open_grant(other.private, rest.partition(b"|")[2], job_id, int(expires))
        assert json.loads(owner.take_job(job_id))["job"] == job_id  # the routed worker opens it


def test_an_unapproved_worker_never_receives_a_grant(place) -> None:  # type: ignore[no-untyped-def]
    server, alice, cid, anchor_dir, a, b, web = place
    worker_approvals.approve(anchor_dir, a.public, "worker-a", "admin")  # approved, but not running yet
    rogue = _live(web, b, "worker-b")  # running, announcing, never approved
    job_id = _submit(alice, cid, web)
    assert web.route(job_id) is None and rogue.take_job(job_id) is None
    assert not list(redis.Redis.from_url(REDIS).scan_iter(web.grant_key(job_id, "*")))  # no grant at all
    with server.vault.transaction() as conn:
        job = R.get(conn, job_id)
    assert job.state == R.WAITING and "approved worker" in job.step  # the job says why it waits
    assert route_waiting(alice.vault, alice.actor.id, web) == 0  # the web's sweep: still no approved worker
    honest = _live(web, a, "worker-a")
    assert route_waiting(alice.vault, alice.actor.id, web) == 1  # she is still signed in: it goes to worker-a now
    assert web.route(job_id) == a.id and rogue.take_job(job_id) is None and honest.take_job(job_id) is not None
    assert hold_keys(alice.vault, alice.actor.id, web, "web") and web.route(job_id) == a.id  # a sign-in keeps it


def test_announcing_under_an_approved_id_or_editing_the_list_gets_nothing(place) -> None:  # type: ignore[no-untyped-def]
    _, alice, cid, anchor_dir, a, b, web = place
    worker_approvals.approve(anchor_dir, a.public, "worker-a", "admin")
    # B announces its own key under A's id (A is down): the id does not match the key, so it is not live
    web.client.set(f"{web.prefix}:w:{a.id}:presence", json.dumps({"public": b.public.hex(), "name": "worker-a"}), ex=30)
    job_id = _submit(alice, cid, web)
    assert web.route(job_id) is None
    # B writes itself into the approved list (database/disk write, no anchor key): the list no longer verifies
    path = anchor_dir / worker_approvals.FILE
    doc = json.loads(path.read_text())
    doc["workers"][b.id] = {"public": b.public.hex(), "name": "worker-b", "at": "now", "by": "admin"}
    path.write_text(json.dumps(doc))
    _live(web, a, "worker-a")
    rogue = _live(web, b, "worker-b")
    job_id = _submit(alice, cid, web)
    assert web.route(job_id) is None and rogue.take_job(job_id) is None  # nobody, never a fallback key


def test_a_revoked_worker_gets_no_new_grant_and_its_stale_message_ends(place, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sessionlens.jobs import runner
    from tests.server.conftest import settings

    server, alice, cid, anchor_dir, a, b, web = place
    worker_a = _live(web, a, "worker-a")
    worker_approvals.approve(anchor_dir, a.public, "worker-a", "admin")
    job_id = _submit(alice, cid, web)
    assert web.route(job_id) == a.id
    worker_approvals.revoke(anchor_dir, a.id)  # the admin no longer trusts worker-a (it keeps announcing);
    assert web.drop_routes_to(a.id) == [job_id]  # (as `worker revoke` does) the grant waiting for it goes
    assert worker_a.take_job(job_id) is None
    worker_b = _live(web, b, "worker-b")
    worker_approvals.approve(anchor_dir, b.public, "worker-b", "admin")
    assert hold_keys(alice.vault, alice.actor.id, web, "web")  # the grant is made again: for worker-b only
    assert web.route(job_id) == b.id and worker_a.take_job(job_id) is None
    monkeypatch.setattr(runner, "execute", lambda vault, job_id, worker, *, lease: R.DONE)
    assert runner.run_once(server.vault.engine, settings(), worker_a, job_id, "worker-a") == ("moved", 0.0)
    assert runner.run_once(server.vault.engine, settings(), worker_b, job_id, "worker-b") == (R.DONE, 0.0)
