"""Attack: a compromised worker reads the grants of jobs other workers are running (issue 17, open item 1).

Before: a worker read a job's grant with GET and left it in Redis for the whole run, and grants lived
24 hours, so any worker holding the shared workers' key could read every pending or running job's
grant. Now a worker takes the grant (GETDEL) when it starts the job: while it runs, and after it ends,
the grant is no longer in Redis; it goes back only when the job goes on later (a retry). A grant waits
at most ``job_grant_ttl_seconds`` (default 2 h). Still open: the workers share one X25519 key, so a
compromised worker can take the grants of jobs nobody has started yet (docs/security.md).
Real PostgreSQL and Redis (a private schema and key prefix).
"""

from __future__ import annotations


import pytest
import redis

from sessionlens.jobs import runner
from sessionlens.services import clients, consent, server_jobs
from sessionlens.services.keyring import RedisKeyring
from sessionlens.vault import grants
from sessionlens.vault import job_rows as R
from tests.server.conftest import DEMO, REDIS, pg_url, redis_prefix, server, server_template, settings  # noqa: F401
from tests.vault.helpers import _derive_once  # noqa: F401


class _NoRunner:
    def dispatch(self, job_id: str) -> None:  # the test drives the worker itself
        pass


@pytest.fixture
def job(server, redis_prefix):  # type: ignore[no-untyped-def]  # noqa: F811
    private, public = grants.new_worker_key()
    alice = server.ctx["alice"]
    cid = clients.add_client(alice, "Jane Example")["id"]
    consent.record_consent(alice, cid)
    web = RedisKeyring(REDIS, public=public, prefix=redis_prefix)
    made = server_jobs.submit_transcript(alice, cid, DEMO.read_bytes(), source="demo.vtt", runner=_NoRunner(),
                                         keyring=web)
    worker = RedisKeyring(REDIS, private=private, prefix=redis_prefix)
    return server, made["id"], worker, worker.grant_key(made["id"], worker.worker_id)


def test_a_running_jobs_grant_is_not_in_redis(job, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    server, job_id, worker, key = job
    spy = redis.Redis.from_url(REDIS)  # what another worker (or anyone with Redis read) sees
    assert spy.get(key) is not None
    seen: list[bytes | None] = []

    def run(vault, job_id, worker, *, lease):  # type: ignore[no-untyped-def]
        seen.append(spy.get(key))
        return R.DONE

    monkeypatch.setattr(runner, "execute", run)
    assert runner.run_once(server.vault.engine, settings(), worker, job_id, "worker-a") == (R.DONE, 0.0)
    assert seen == [None]  # taken while the job ran
    assert spy.get(key) is None and worker.job_grant(job_id) is None  # and gone after it


def test_a_retried_job_gets_its_grant_back(job, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    server, job_id, worker, key = job

    def crash(vault, job_id, worker, *, lease):  # type: ignore[no-untyped-def]
        raise RuntimeError("transient")

    monkeypatch.setattr(runner, "execute", crash)
    outcome, _ = runner.run_once(server.vault.engine, settings(), worker, job_id, "worker-a")
    assert outcome == "retry" and worker.job_grant(job_id) is not None  # the retry needs no sign-in


def test_grants_wait_at_most_the_configured_time(job) -> None:  # type: ignore[no-untyped-def]
    _, job_id, worker, key = job
    ttl = redis.Redis.from_url(REDIS).ttl(key)
    assert 0 < ttl <= settings().job_grant_ttl_seconds == 7200
    assert worker.take_job(job_id) is not None and worker.take_job(job_id) is None
