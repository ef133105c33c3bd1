"""Start and stop real `sessionlens worker` processes (Celery on Redis, PostgreSQL) for tests and benchmarks."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REDIS_HOST = "redis://127.0.0.1:6379"


@dataclass
class Cluster:
    """Environment shared by the web side (this process) and the worker processes.

    Each worker started gets its own state directory (its own key pair); the cluster approves that key in
    ``anchor_dir`` (signed with its anchor key, as `sessionlens worker approve` does) and waits until the
    worker announces itself, so the web can route jobs to it."""

    database_url: str
    directory: Path
    anchor_dir: Path
    broker_url: str = field(default_factory=lambda: f"{REDIS_HOST}/{secrets.randbelow(14) + 1}")
    queue: str = field(default_factory=lambda: "sltest-" + secrets.token_hex(4))
    lease: int = 5
    procs: list[subprocess.Popen] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SESSIONLENS_")}
        env.update(SESSIONLENS_DATABASE_URL=self.database_url, SESSIONLENS_BROKER_URL=self.broker_url,
                   SESSIONLENS_QUEUE=self.queue,
                   SESSIONLENS_JOB_LEASE_SECONDS=str(self.lease), **extra)
        return env

    def start(self, name: str, *, concurrency: int = 1, pool: str = "solo", log: Path | None = None,
              **extra: str) -> subprocess.Popen:
        from sessionlens.jobs.worker_identity import load_or_create
        from sessionlens.vault import worker_approvals

        state = self.directory / f"state-{name}"
        identity = load_or_create(state)
        worker_approvals.approve(self.anchor_dir, identity.public, name, "test-admin")
        self.ids[name] = identity.id
        out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen([sys.executable, "-m", "sessionlens", "worker", "--pool", pool, "--name", name,
                                 "--concurrency", str(concurrency), "--state-dir", str(state)],
                                env=self.env(**extra), stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        self._wait_live(identity.id, proc, log)
        return proc

    def _wait_live(self, wid: str, proc: subprocess.Popen, log: Path | None) -> None:
        import redis

        client, deadline = redis.Redis.from_url(self.redis_admin_url), time.monotonic() + 60
        while not client.exists(f"sessionlens:w:{wid}:presence"):
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:] if log else wid
            time.sleep(0.1)

    @property
    def redis_admin_url(self) -> str:
        """The broker's database without the worker's ACL user (tests read and clean it as admin)."""
        return f"{REDIS_HOST}/{self.broker_url.rsplit('/', 1)[-1]}"

    def lapse(self, name: str) -> None:
        """A killed worker's announcement lapses within LIVE_SECONDS; the tests do not wait for it."""
        import redis

        redis.Redis.from_url(self.redis_admin_url).delete(f"sessionlens:w:{self.ids[name]}:presence")

    def web_keyring(self, url: str | None = None) -> Any:
        """The web's keyring: seals grants to live workers approved in ``anchor_dir``."""
        from sessionlens.services.keyring import ApprovedWorkers, RedisKeyring

        keyring = RedisKeyring(url or self.broker_url)
        keyring.recipients = ApprovedWorkers(keyring.client, keyring.prefix, self.anchor_dir)
        return keyring

    def revoke_all(self) -> None:
        from sessionlens.vault import worker_approvals

        for wid in self.ids.values():
            worker_approvals.revoke(self.anchor_dir, wid)

    def kill(self, proc: subprocess.Popen) -> None:
        """SIGKILL the worker and every process it forked (prefork children)."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)

    def cleanup_redis(self) -> None:
        import redis

        client = redis.Redis.from_url(self.redis_admin_url)
        for key in [self.queue, "unacked", "unacked_index", "unacked_mutex", f"_kombu.binding.{self.queue}"]:
            client.delete(key)
        for pattern in ("sessionlens:*", f"{self.queue}.*", f"_kombu.binding.{self.queue}.*"):
            for key in client.scan_iter(pattern):
                client.delete(key)


@contextmanager
def cluster(database_url: str, directory: Path, anchor_dir: Path | None = None) -> Iterator[Cluster]:
    """Workers for one test; ``anchor_dir``: where the web under test reads approved workers (default: a
    fresh anchor directory with its own key under ``directory``)."""
    from sessionlens.vault import anchor

    if anchor_dir is None:
        anchor_dir = directory / "anchor"
        anchor.signing_key(anchor_dir, create=True)
    c = Cluster(database_url, directory, anchor_dir)
    try:
        yield c
    finally:
        c.stop_all()
        c.cleanup_redis()
        c.revoke_all()
