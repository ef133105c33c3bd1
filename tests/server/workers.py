"""Start and stop real `sessionlens worker` processes (Celery on Redis, PostgreSQL) for tests and benchmarks."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REDIS_HOST = "redis://127.0.0.1:6379"


@dataclass
class Cluster:
    """Environment shared by the web side (this process) and the worker processes."""

    database_url: str
    secret_file: Path
    broker_url: str = field(default_factory=lambda: f"{REDIS_HOST}/{secrets.randbelow(14) + 1}")
    queue: str = field(default_factory=lambda: "sltest-" + secrets.token_hex(4))
    lease: int = 5
    procs: list[subprocess.Popen] = field(default_factory=list)

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SESSIONLENS_")}
        env.update(SESSIONLENS_DATABASE_URL=self.database_url, SESSIONLENS_BROKER_URL=self.broker_url,
                   SESSIONLENS_KEYRING_SECRET_FILE=str(self.secret_file), SESSIONLENS_QUEUE=self.queue,
                   SESSIONLENS_JOB_LEASE_SECONDS=str(self.lease), **extra)
        return env

    def start(self, name: str, *, concurrency: int = 1, pool: str = "solo", log: Path | None = None,
              **extra: str) -> subprocess.Popen:
        out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen([sys.executable, "-m", "sessionlens", "worker", "--pool", pool, "--name", name,
                                 "--concurrency", str(concurrency)], env=self.env(**extra), stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        return proc

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

        client = redis.Redis.from_url(self.broker_url)
        for key in [self.queue, "unacked", "unacked_index", "unacked_mutex", f"_kombu.binding.{self.queue}"]:
            client.delete(key)
        for key in client.scan_iter("sessionlens:*"):
            client.delete(key)


@contextmanager
def cluster(database_url: str, directory: Path) -> Iterator[Cluster]:
    from sessionlens.services.keyring import write_secret

    c = Cluster(database_url, write_secret(directory / "keyring.secret"))
    try:
        yield c
    finally:
        c.stop_all()
        c.cleanup_redis()
