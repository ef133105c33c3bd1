"""A process killed (SIGKILL) in the middle of an import leaves the import complete or absent."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from sessionlens.services import audit, clients, consent, vaults

from ..vault.helpers import DEMO, make_settings

PASSPHRASE = "sigkill test passphrase"

CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from sessionlens.config import Settings
    from sessionlens.services import sessions, vaults
    from sessionlens.vault import blobs

    data_dir, client, pause_after, ready = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    if pause_after:
        real_put, calls = blobs.put, []
        def put(*args, **kwargs):
            info = real_put(*args, **kwargs)
            calls.append(info)
            if len(calls) == pause_after:
                ready.write_text("mid-transaction")
                time.sleep(120)  # the parent kills us here, rows written but not committed
            return info
        blobs.put = put
    vault = vaults.open_vault(passphrase="%s", data_dir=data_dir, settings=Settings(env={}))
    ctx = vaults.sign_in_owner(vault)
    ready.write_text("importing") if not pause_after else None
    sessions.import_session(ctx, client, Path("%s").read_bytes(), source="demo.vtt")
    print("done")
""") % (PASSPHRASE, DEMO)


def _state(db: Path) -> tuple[str, int, list[int]]:
    with sqlite3.connect(db) as conn:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        n = conn.execute("SELECT count(*) FROM sessions").fetchone()[0]
        per = [r[0] for r in conn.execute("SELECT count(b.id) FROM sessions s LEFT JOIN blobs b "
                                          "ON b.session_id = s.id GROUP BY s.id")]
        orphans = conn.execute("SELECT count(*) FROM blobs WHERE session_id NOT IN (SELECT id FROM sessions)"
                               ).fetchone()[0]
    assert orphans == 0
    return check, n, per


@pytest.fixture
def vault_dir(tmp_path):
    created = vaults.init_vault(PASSPHRASE, "alice", data_dir=tmp_path / "v", settings=make_settings())
    client = clients.add_client(created.ctx, "Killed Midway")["id"]
    consent.record_consent(created.ctx, client)
    created.ctx.vault.close()
    return tmp_path / "v", client


def _spawn(directory: Path, client: str, pause_after: int, ready: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, str(directory), client, str(pause_after), str(ready)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for(path: Path, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while not path.exists():
        assert proc.poll() is None, proc.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
        assert time.time() < deadline, "child never reached the import"
        time.sleep(0.02)


@pytest.mark.slow
def test_sigkill_mid_transaction_leaves_the_import_absent(vault_dir, tmp_path):
    directory, client = vault_dir
    ready = tmp_path / "ready"
    proc = _spawn(directory, client, 2, ready)
    _wait_for(ready, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _state(directory / "vault.db") == ("ok", 0, [])
    vault = vaults.open_vault(passphrase=PASSPHRASE, data_dir=directory, settings=make_settings())
    ctx = vaults.sign_in_owner(vault)
    assert audit.verify_audit(ctx)["ok"]
    vault.close()
    done = _spawn(directory, client, 0, tmp_path / "again")  # the retry completes
    assert done.wait(timeout=120) == 0, done.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
    assert _state(directory / "vault.db") == ("ok", 1, [3])


@pytest.mark.slow
def test_sigkill_at_random_moments_leaves_complete_or_absent(vault_dir, tmp_path):
    directory, client = vault_dir
    rng = random.Random(7)
    for i in range(3):
        ready = tmp_path / f"ready{i}"
        proc = _spawn(directory, client, 0, ready)
        _wait_for(ready, proc)
        time.sleep(rng.uniform(0.0, 0.4))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        check, n, per = _state(directory / "vault.db")
        assert check == "ok" and all(c == 3 for c in per), (check, n, per)
