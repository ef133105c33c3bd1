"""A laptop job cut off by a hard stop (SIGKILL of the real process running it) resumes when the vault
reopens, from its last checkpoint, and completes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from sessionlens.config import Settings
from sessionlens.jobs.runner import InProcessRunner, wait_for
from sessionlens.services import audit, clients, consent, sessions, vaults
from sessionlens.services.vault_keeper import VaultKeeper
from sessionlens.vault import job_rows as R
from sessionlens.vault import store

from .conftest import DEMO

PASSPHRASE = "resume test passphrase"
LEASE = 5  # seconds: a killed runner's lease runs out quickly
SETTINGS = {"kdf_memory_mib": 64, "kdf_parallelism": 1, "job_lease_seconds": LEASE}

CHILD = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from sessionlens.config import Settings
    from sessionlens.jobs.runner import InProcessRunner
    from sessionlens.services import server_jobs
    from sessionlens.services.vault_keeper import VaultKeeper
    from sessionlens.vault import job_rows as R, store

    data_dir, client, demo, ready = sys.argv[1], sys.argv[2], sys.argv[3], Path(sys.argv[4])
    settings = Settings(json.loads(sys.argv[5]), env={})
    keeper = VaultKeeper(settings, Path(data_dir), runner_factory=InProcessRunner)
    ctx = keeper.sign_in("", sys.argv[6], 3600)
    job = server_jobs.submit_transcript(ctx, client, Path(demo).read_bytes(), source="demo.vtt",
                                        runner=keeper.runner, keyring=keeper.keyring)["id"]
    while True:  # the runner pauses after the parse checkpoint (fault injection): the parent kills us there
        with store.transaction(keeper.vault.engine) as conn:
            if "parse" in [h["stage"] for h in R.get(conn, job).history]:
                break
        time.sleep(0.05)
    ready.write_text(job)
    time.sleep(300)
""")


def _settings() -> Settings:
    return Settings(SETTINGS, env={})


@pytest.fixture
def laptop(tmp_path: Path) -> tuple[Path, str]:
    created = vaults.init_vault(PASSPHRASE, "alice", data_dir=tmp_path / "v", settings=_settings())
    client = clients.add_client(created.ctx, "Cut Off Midway")["id"]
    consent.record_consent(created.ctx, client)
    created.ctx.vault.close()
    return tmp_path / "v", client


def _killed_mid_job(directory: Path, client: str, ready: Path) -> str:
    env = {**os.environ, "SESSIONLENS_TEST_PAUSE_AFTER_STAGE": "parse:300"}
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(directory), client, str(DEMO), str(ready),
                             json.dumps(SETTINGS), PASSPHRASE], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while not ready.exists():
        assert proc.poll() is None, proc.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
        assert time.time() < deadline, "the child never reached the middle of the job"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return ready.read_text()


@pytest.mark.slow
def test_a_job_killed_mid_run_resumes_when_the_vault_reopens(laptop, tmp_path) -> None:
    directory, client = laptop
    job_id = _killed_mid_job(directory, client, tmp_path / "ready")
    engine = store.make_engine(store.sqlite_url(directory))
    with store.transaction(engine) as conn:
        cut = R.get(conn, job_id)
    assert cut.state == R.RUNNING and [h["stage"] for h in cut.history] == ["parse"]  # interrupted, not done
    keeper = VaultKeeper(_settings(), directory, runner_factory=InProcessRunner)
    try:
        ctx = keeper.sign_in("", PASSPHRASE, 3600)  # the clinician opens the vault again: nothing else is done
        job = wait_for(keeper.vault.engine, job_id, timeout=90)
        assert job.state == R.DONE, job
        assert [h["stage"] for h in job.history] == ["parse", "analyze", "store"]  # parse not run again
        listed = sessions.list_sessions(ctx, client)
        assert len(listed) == 1 and listed[0]["utterances"] > 0
        assert audit.verify_audit(ctx)["ok"]
    finally:
        keeper.close()
        engine.dispose()


def test_reopening_with_nothing_interrupted_dispatches_nothing(laptop) -> None:
    directory, _ = laptop
    keeper = VaultKeeper(_settings(), directory, runner_factory=InProcessRunner)
    try:
        keeper.sign_in("", PASSPHRASE, 3600)
        assert keeper.resumed == []
    finally:
        keeper.close()
