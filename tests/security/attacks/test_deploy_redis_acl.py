"""Attack: use the broker that holds the keyring (issue 17, findings 3 and 13).

The shipped Redis had no password: anything on the backend network could read the queue and the keyring
or MONITOR every command. deploy/redis/users.acl gives each process role its own user and password and
no admin or dangerous command. This test loads those very rules (for test-named users with random
passwords, on the shared Redis at 127.0.0.1:6379; the `default off` line is not applied to a Redis other
tests share), runs a job through a real worker and the web side each signed in as its own user, and
shows what the worker's credentials can no longer do.
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

import pytest
import redis

from sessionlens.jobs.runner import CeleryRunner, wait_for
from sessionlens.services import clients, consent, server_jobs
from sessionlens.jobs.worker_identity import KEY_FILE
from sessionlens.services.keyring import broker_url, load_secret
from sessionlens.vault import anchor
from tests.server.conftest import DEMO, pg_url, server, server_template, settings  # noqa: F401
from tests.server.workers import Cluster
from tests.vault.helpers import _derive_once  # noqa: F401

ACL = Path(__file__).resolve().parents[3] / "deploy" / "redis" / "users.acl"
pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


def _rules(user: str) -> list[str]:
    for line in ACL.read_text().splitlines():
        words = line.split()  # ("#<sha256>" is a password hash there, not a comment)
        if not line.startswith("#") and words[:2] == ["user", user]:
            return words[2:]
    raise AssertionError(f"{ACL} has no user {user}")


@pytest.fixture
def acl_users(tmp_path: Path):  # type: ignore[no-untyped-def]
    admin = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    assert "user default off" in ACL.read_text()  # the shipped file refuses anonymous clients
    suffix, queue = secrets.token_hex(4), "sltest-" + secrets.token_hex(4)
    made = {}
    for role in ("web", "worker"):
        name, password = f"sltest-{role}-{suffix}", secrets.token_urlsafe(24)
        rules = [r.replace("#REPLACE_WITH_SHA256", "#" + hashlib.sha256(password.encode()).hexdigest())
                 for r in _rules(f"sessionlens-{role}")]
        rules += [f"~{queue}*"]  # the test's own queue name (the shipped queue is "sessionlens")
        admin.acl_setuser(name, reset=True)
        admin.execute_command("ACL", "SETUSER", name, *rules)
        secret = tmp_path / f"{role}.password"
        secret.write_text(password)
        made[role] = (name, secret)
    try:
        yield queue, made
    finally:
        for name, _ in made.values():
            admin.execute_command("ACL", "DELUSER", name)


def test_deploy_redis_acl_users_run_a_job_and_the_worker_cannot_snoop(server, tmp_path, acl_users,  # noqa: F811
                                                                      monkeypatch) -> None:
    queue, made = acl_users
    db = secrets.randbelow(14) + 1
    urls = {role: f"redis://{name}@127.0.0.1:6379/{db}" for role, (name, _) in made.items()}
    anchor.signing_key(tmp_path / "anchor", create=True)
    c = Cluster(server.url, tmp_path, tmp_path / "anchor", broker_url=urls["worker"], queue=queue)
    alice = server.ctx["alice"]
    cid = clients.add_client(alice, "Jane Example")["id"]
    consent.record_consent(alice, cid)
    web_settings = settings(broker_url=urls["web"], broker_password_file=str(made["web"][1]),
                            job_runner="celery")
    monkeypatch.setenv("SESSIONLENS_QUEUE", queue)
    try:
        c.start("acl-worker", log=tmp_path / "w.log", SESSIONLENS_BROKER_PASSWORD_FILE=str(made["worker"][1]))
        web = c.web_keyring(broker_url(web_settings))  # sealing to the announced, approved worker as the web user
        job = server_jobs.submit_transcript(alice, cid, DEMO.read_bytes(), source="demo.vtt",
                                            runner=CeleryRunner(web_settings, web), keyring=web)
        done = wait_for(server.vault.engine, job["id"], timeout=120)
        assert done.state == "done", (tmp_path / "w.log").read_text()[-3000:]

        worker = redis.Redis.from_url(broker_url(settings(broker_url=urls["worker"],
                                                          broker_password_file=str(made["worker"][1]))))
        for command in (("KEYS", "*"), ("CONFIG", "GET", "requirepass"), ("FLUSHALL",), ("MONITOR",),
                        ("ACL", "LIST"), ("CLIENT", "KILL", "ID", "999999999"), ("GET", "some-other-apps-key")):
            with pytest.raises(redis.exceptions.NoPermissionError):
                worker.execute_command(*command)
        with pytest.raises(redis.exceptions.AuthenticationError):
            redis.Redis.from_url(f"redis://{made['worker'][0]}:wrong-password@127.0.0.1:6379/{db}").ping()
        assert load_secret(tmp_path / "state-acl-worker" / KEY_FILE)  # (the worker's own key: mode 0600)
    finally:
        c.stop_all()
        plain = redis.Redis.from_url(f"redis://127.0.0.1:6379/{db}")
        for k in [queue, "unacked", "unacked_index", "unacked_mutex", f"_kombu.binding.{queue}"]:
            plain.delete(k)
        for pattern in ("sessionlens:*", f"{queue}.*", f"_kombu.binding.{queue}.*"):
            for k in plain.scan_iter(pattern):
                plain.delete(k)
