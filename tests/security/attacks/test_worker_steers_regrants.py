"""Attack: a compromised, approved worker steers other workers' jobs to itself through Redis (issue 17, item 1).

Before: every worker signed in to Redis as the one shared user ``sessionlens-worker`` (deploy/redis/users.acl),
which could read, delete and overwrite any key of the keyring and queues. Worker B could delete worker A's
grant and route (and A's announcement) and pad A's queue, so the clinician's next sign-in re-sealed the job
to the shortest queue, B's own. Against the tree before the fix every one of these commands succeeded as the
shared user (read A's grant, delete it, delete its route, route the job to B, delete A's announcement, push
to A's queue).
Now each approved worker has its own ACL user (``sessionlens worker redis-acl``, services.redis_acl) that
reaches only the keys named for it; routes are read-only to workers. Everything below answers NOPERM, and
the sign-in that follows keeps the job with A. Real PostgreSQL and Redis (users with a random suffix,
deleted afterwards; a private key prefix and queue name).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from sessionlens.jobs.worker_identity import Identity, load_or_create
from sessionlens.services import clients, consent, redis_acl, server_jobs, worker_registry
from sessionlens.services.keyring import ApprovedWorkers, RedisKeyring, hold_keys
from sessionlens.vault import anchor, worker_approvals
from tests.server.conftest import DEMO, pg_url, redis_prefix, server, server_template  # noqa: F401
from tests.vault.helpers import _derive_once  # noqa: F401

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
ADMIN = "redis://127.0.0.1:6379/0"


class _NoRunner:
    def dispatch(self, job_id: str) -> None:  # the test plays the workers itself
        pass


@pytest.fixture
def queue_base(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    base = "sltest-" + secrets.token_hex(4)
    monkeypatch.setenv("SESSIONLENS_QUEUE", base)
    yield base
    client = redis.Redis.from_url(ADMIN)
    for key in client.scan_iter(f"{base}.*"):
        client.delete(key)


@pytest.fixture
def users() -> Iterator[dict[str, str]]:
    """Worker id -> a Redis URL signed in as that worker's own user, made from the rules `redis-acl` prints."""
    admin, made = redis.Redis.from_url(ADMIN), {}
    yield made
    for name in made.values():
        admin.execute_command("ACL", "DELUSER", name.split("//", 1)[1].split(":", 1)[0])


def _user_for(who: Identity, prefix: str, base: str, users: dict[str, str]) -> redis.Redis:
    password, suffix = secrets.token_urlsafe(24), secrets.token_hex(4)
    line = redis_acl.worker_line(who.id, password, prefix=prefix, base=base).split()
    name = f"{line[1]}-t{suffix}"  # the shipped user name, made unique for this test run
    redis.Redis.from_url(ADMIN).execute_command("ACL", "SETUSER", name, "reset", *line[2:])
    users[who.id] = f"redis://{name}:{password}@127.0.0.1:6379/0"
    return redis.Redis.from_url(users[who.id])


@pytest.fixture
def place(server, redis_prefix, queue_base, users, tmp_path: Path):  # type: ignore[no-untyped-def]  # noqa: F811
    anchor_dir = tmp_path / "anchor"
    anchor.signing_key(anchor_dir, create=True)
    a, b = load_or_create(tmp_path / "worker-a"), load_or_create(tmp_path / "worker-b")
    for who in (a, b):
        worker_approvals.approve(anchor_dir, who.public, who.id, "admin")
    web = RedisKeyring(ADMIN, prefix=redis_prefix)  # the web (the test's Redis admin stands in for its user)
    web.recipients = ApprovedWorkers(web.client, redis_prefix, anchor_dir)
    alice = server.ctx["alice"]
    cid = clients.add_client(alice, "Jane Example")["id"]
    consent.record_consent(alice, cid)
    as_a = _user_for(a, redis_prefix, queue_base, users)
    as_b = _user_for(b, redis_prefix, queue_base, users)
    worker_registry.announce(as_a, redis_prefix, a.public, "worker-a")  # each announces as its own user
    job_id = server_jobs.submit_transcript(alice, cid, DEMO.read_bytes(), source="demo.vtt", runner=_NoRunner(),
                                           keyring=web)["id"]
    worker_registry.announce(as_b, redis_prefix, b.public, "worker-b")
    as_a.lpush(worker_registry.queue_of(a.id), json.dumps({"job": job_id}))  # (as the web would send it)
    return alice, web, a, b, as_b, job_id, users, cid


def test_worker_b_cannot_touch_worker_as_grant_route_announcement_or_queue(place) -> None:  # type: ignore[no-untyped-def]
    alice, web, a, b, as_b, job_id, _, _ = place
    p = web.prefix
    assert web.route(job_id) == a.id
    grant, route = web.grant_key(job_id, a.id), f"{p}:jobroute:{job_id}"
    presence, queue = f"{p}:w:{a.id}:presence", worker_registry.queue_of(a.id)
    unacked = worker_registry.unacked_keys(a.id)
    attempts = {
        "read A's grant": lambda: as_b.get(grant),
        "delete A's grant": lambda: as_b.delete(grant),
        "delete A's route": lambda: as_b.delete(route),
        "route the job to B": lambda: as_b.set(route, b.id),
        "delete A's announcement": lambda: as_b.delete(presence),
        "announce as A": lambda: as_b.set(presence, json.dumps({"public": b.public.hex(), "name": "a"})),
        "pad A's queue": lambda: as_b.lpush(queue, "pad"),
        "drain A's queue": lambda: as_b.rpop(queue),
        "bind A's exchange to B's queue": lambda: as_b.sadd(f"_kombu.binding.{queue}", "x"),
        "rewrite A's unacknowledged messages": lambda: as_b.hset(unacked["unacked_key"], "tag", "x"),
        "drop the web's sent marker": lambda: as_b.delete(f"{p}:jobsent:{job_id}"),
        "drop alice's hold": lambda: as_b.delete(f"{p}:holders:{alice.actor.id}"),
        "list the keys": lambda: list(as_b.scan_iter(f"{p}:*")),
        "take A's grant by script": lambda: as_b.eval("return redis.call('GETDEL', KEYS[1])", 1, grant),
        "reach A's keys from a script": lambda: as_b.eval(f"return redis.call('DEL', '{grant}')", 0),
    }
    for what, attempt in attempts.items():
        with pytest.raises(redis.exceptions.ResponseError, match="permissions|can't access"):  # NOPERM, also in a script
            attempt()
            pytest.fail(f"worker B could {what}")
    assert as_b.get(route) == a.id.encode()  # it may read a route (is my message stale?), not write one
    assert web.client.exists(grant, presence) == 2 and web.client.llen(queue) == 1

    assert hold_keys(alice.vault, alice.actor.id, web, "web")  # the clinician signs in again: the job stays A's
    assert web.route(job_id) == a.id and not web.client.exists(web.grant_key(job_id, b.id))


def test_each_worker_does_its_own_work_as_its_own_user(place) -> None:  # type: ignore[no-untyped-def]
    """A's user runs what a worker does with its keyring (take, hand back, finish); B's key space stays B's."""
    alice, web, a, b, _, job_id, users, _ = place
    worker_a = RedisKeyring(users[a.id], private=a.private, prefix=web.prefix)
    grant = worker_a.take_job(job_id)
    assert grant is not None and not worker_a.routed_elsewhere(job_id)
    worker_a.put_job(job_id, grant, int(json.loads(grant)["expires"]))  # handed back to itself (a retry) ...
    assert web.route(job_id) == a.id and web.client.exists(web.grant_key(job_id, a.id))  # ... route untouched
    worker_a.release(alice.actor.id, f"job:{job_id}")  # the job ended: its own grant goes
    assert not web.client.exists(web.grant_key(job_id, a.id))
    worker_b = RedisKeyring(users[b.id], private=b.private, prefix=web.prefix)
    assert worker_b.take_job(job_id) is None and worker_b.job_grant(job_id) is None  # its own space: empty


def test_worker_b_breaking_its_own_keys_stops_no_submission_or_sign_in(place) -> None:  # type: ignore[no-untyped-def]
    """Its own keys B may write: it turns its queue and its announcement into the wrong Redis types, so that
    the web's LLEN or GET on them fails. The web leaves B out (not live, load unknown) and goes on."""
    alice, web, a, b, as_b, _, _, cid = place
    queue, presence = worker_registry.queue_of(b.id), f"{web.prefix}:w:{b.id}:presence"
    as_b.set(queue, "not a list")
    submit = lambda: server_jobs.submit_transcript(alice, cid, DEMO.read_bytes(), source="demo.vtt",  # noqa: E731
                                                   runner=_NoRunner(), keyring=web)["id"]
    assert web.route(submit()) == a.id  # B's load cannot be read: it is not chosen, and nothing fails
    as_b.delete(presence)
    as_b.hset(presence, "public", b.public.hex())
    assert web.route(submit()) == a.id  # B's announcement cannot be read: B is not live
    assert hold_keys(alice.vault, alice.actor.id, web, "web")  # a sign-in goes through
    # a job already routed to B when B breaks its queue: sending it fails, quietly, and may be tried again
    from sessionlens.jobs.runner import CeleryRunner
    from tests.server.conftest import settings

    job_b = submit()
    web.client.set(f"{web.prefix}:jobroute:{job_b}", b.id)  # (as if sealed to B before it broke its keys)
    runner = CeleryRunner(settings(broker_url=ADMIN, job_runner="celery"), web)
    runner.dispatch(job_b)  # the web's request goes on
    assert web.claim_dispatch(job_b, b.id)  # nothing counts as sent: a later sealing sends it again
