"""Attack: use the broker that holds the keyring (issue 17, findings 3 and 13).

The shipped Redis had no password: anything on the backend network could read the queue and the keyring
or MONITOR every command. deploy/redis/users.acl gives the web its own user and password and no admin or
dangerous command; each approved worker gets a user of its own (`sessionlens worker redis-acl`, from the
anchor-signed approved list), reaching only its own keys and queue. This test loads those very rules (for
test-named users with random passwords, on the shared Redis at 127.0.0.1:6379; the `default off` line is
not applied to a Redis other tests share), runs jobs through two real workers and the web side each signed
in as its own user, and shows what a worker's credentials can no longer do.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from pathlib import Path

import pytest
import redis

from sessionlens.cli import run
from sessionlens.jobs.runner import CeleryRunner, wait_for
from sessionlens.jobs.worker_identity import KEY_FILE, load_or_create
from sessionlens.services import clients, consent, server_jobs
from sessionlens.services.keyring import broker_url, load_secret
from sessionlens.vault import anchor, job_rows, worker_approvals
from tests.server.conftest import DEMO, pg_url, server, server_template, settings  # noqa: F401
from tests.server.workers import Cluster
from tests.vault.helpers import _derive_once  # noqa: F401

ACL = Path(__file__).resolve().parents[3] / "deploy" / "redis" / "users.acl"
pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]
WORKERS = ("acl-worker-a", "acl-worker-b")


def _rules(user: str, text: str) -> list[str]:
    for line in text.splitlines():
        words = line.split()  # ("#<sha256>" is a password hash there, not a comment)
        if not line.startswith("#") and words[:2] == ["user", user]:
            return words[2:]
    raise AssertionError(f"no user {user} in {text[:200]}")


def _setuser(admin: redis.Redis, name: str, rules: list[str]) -> None:
    admin.execute_command("ACL", "SETUSER", name, "reset", *rules)


@pytest.fixture
def acl_users(tmp_path: Path, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    """The web's user from the shipped file; each worker's user from what `worker redis-acl` prints."""
    admin = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    assert "user default off" in ACL.read_text()  # the shipped file refuses anonymous clients
    suffix, queue = secrets.token_hex(4), "sltest-" + secrets.token_hex(4)
    monkeypatch.setenv("SESSIONLENS_QUEUE", queue)
    monkeypatch.setenv("SESSIONLENS_AUDIT_ANCHOR_DIR", str(tmp_path / "anchor"))
    anchor.signing_key(tmp_path / "anchor", create=True)
    made: dict[str, tuple[str, Path]] = {}
    web_password = secrets.token_urlsafe(24)
    web_rules = [r.replace("#REPLACE_WITH_SHA256", "#" + hashlib.sha256(web_password.encode()).hexdigest())
                 for r in _rules("sessionlens-web", ACL.read_text())]
    web_rules += [f"~{queue}*"]  # the test's own queue name (the shipped queue is "sessionlens")
    (tmp_path / "web.password").write_text(web_password)
    made["web"] = (f"sltest-web-{suffix}", tmp_path / "web.password")
    passwords = []
    for name in WORKERS:  # each worker's key pair, approved, then its password file (made by redis-acl)
        me = load_or_create(tmp_path / f"state-{name}")
        worker_approvals.approve(tmp_path / "anchor", me.public, name, "test-admin")
        made[name] = (f"sessionlens-{me.id}-t{suffix}", tmp_path / "passwords" / name)
        passwords += ["--password", f"{me.id}={made[name][1]}"]
    capsys.readouterr()
    assert run(["worker", "redis-acl", *passwords]) == 0
    printed = capsys.readouterr().out
    try:
        _setuser(admin, made["web"][0], web_rules)
        for name in WORKERS:
            wid = made[name][0].split("-t")[0].removeprefix("sessionlens-")
            _setuser(admin, made[name][0], _rules(f"sessionlens-{wid}", printed))
        yield queue, made, f"sessionlens-{{worker}}-t{suffix}"
    finally:
        for name, _ in made.values():
            admin.execute_command("ACL", "DELUSER", name)


def test_deploy_redis_acl_users_run_a_job_and_the_worker_cannot_snoop(server, tmp_path, acl_users,  # noqa: F811
                                                                      monkeypatch) -> None:
    queue, made, worker_user = acl_users
    db = secrets.randbelow(14) + 1
    web_url = f"redis://{made['web'][0]}@127.0.0.1:6379/{db}"
    c = Cluster(server.url, tmp_path, tmp_path / "anchor", broker_url=f"redis://{worker_user}@127.0.0.1:6379/{db}",
                queue=queue)
    alice = server.ctx["alice"]
    cid = clients.add_client(alice, "Jane Example")["id"]
    consent.record_consent(alice, cid)
    web_settings = settings(broker_url=web_url, broker_password_file=str(made["web"][1]), job_runner="celery")
    logs = {name: tmp_path / f"{name}.log" for name in WORKERS}
    try:
        for name, pool in zip(WORKERS, ("solo", "prefork")):  # each its own user, with its own password file
            c.start(name, pool=pool, log=logs[name], SESSIONLENS_BROKER_PASSWORD_FILE=str(made[name][1]))
        web = c.web_keyring(broker_url(web_settings))  # sealing to the announced, approved workers as the web user
        runner = CeleryRunner(web_settings, web)
        jobs = [server_jobs.submit_transcript(alice, cid, DEMO.read_bytes(), source="demo.vtt", runner=runner,
                                              keyring=web)["id"] for _ in range(3)]
        for job_id in jobs:
            done = wait_for(server.vault.engine, job_id, timeout=120)
            assert done.state == "done", "".join(p.read_text()[-2000:] for p in logs.values())
        with server.vault.transaction() as conn:  # a job with no grant: the worker sends itself retries
            orphan = job_rows.create(conn, owner_id=alice.actor.id, kind="transcript", client_id=cid, session_id=None)
        runner.app.send_task("sessionlens.run_job", args=[orphan], queue=f"{queue}.{c.ids[WORKERS[1]]}")
        deadline = time.monotonic() + 60
        while logs[WORKERS[1]].read_text().count(f'"job.requeued","job":"{orphan}"') < 2:  # one retry came back
            assert time.monotonic() < deadline, logs[WORKERS[1]].read_text()[-3000:]
            time.sleep(0.5)
        for name in WORKERS:
            text = logs[name].read_text()
            assert "NOPERM" not in text and "NoPermission" not in text, text[-3000:]  # its own keys sufficed

        a_id = c.ids[WORKERS[0]]
        worker = redis.Redis.from_url(broker_url(settings(broker_url=c.broker_url.replace("{worker}", a_id),
                                                          broker_password_file=str(made[WORKERS[0]][1]))))
        b_queue = f"{queue}.{c.ids[WORKERS[1]]}"
        for command in (("KEYS", "*"), ("CONFIG", "GET", "requirepass"), ("FLUSHALL",), ("MONITOR",),
                        ("ACL", "LIST"), ("CLIENT", "KILL", "ID", "999999999"), ("GET", "some-other-apps-key"),
                        ("SCAN", "0"), ("LPUSH", b_queue, "x"), ("DEL", f"sessionlens:w:{c.ids[WORKERS[1]]}:presence"),
                        ("PUBLISH", "anything", "x")):
            with pytest.raises(redis.exceptions.NoPermissionError):
                worker.execute_command(*command)
        with pytest.raises(redis.exceptions.AuthenticationError):
            redis.Redis.from_url(f"redis://{made[WORKERS[0]][0]}:wrong-password@127.0.0.1:6379/{db}").ping()
        with pytest.raises(redis.exceptions.AuthenticationError):  # one worker's password is not another's
            redis.Redis.from_url(broker_url(settings(broker_url=c.broker_url.replace("{worker}", c.ids[WORKERS[1]]),
                                                     broker_password_file=str(made[WORKERS[0]][1])))).ping()
        assert load_secret(tmp_path / f"state-{WORKERS[0]}" / KEY_FILE)  # (the worker's own key: mode 0600)
        assert made[WORKERS[0]][1].stat().st_mode & 0o777 == 0o600  # the password redis-acl made for it
    finally:
        c.stop_all()
        c.cleanup_redis()
