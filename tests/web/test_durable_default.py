"""The laptop default (SQLite, job_runner = inprocess) runs uploads as durable jobs, behind the same interface."""

from __future__ import annotations

import time

from sessionlens.vault import job_rows as R
from sessionlens.services.keyring import MemoryKeyring
from sessionlens.jobs.runner import InProcessRunner
from sessionlens.vault import store

from .helpers import DEMO, browser, sign_in


def test_upload_on_the_default_app_is_a_durable_job(vault) -> None:
    directory, ids = vault
    with browser(directory) as client:
        state = client.app.state.web
        assert state.runner is None  # nothing runs while the vault is locked
        csrf = sign_in(client)
        assert isinstance(state.runner, InProcessRunner) and isinstance(state.keyring, MemoryKeyring)
        owner = next(iter(state.sessions.account_ids()))
        assert state.keyring.holders(owner) == {"web"}  # the owner's keys, published for the runner
        answer = client.post(f"/api/clients/{ids['client']}/uploads", content=DEMO.read_bytes(),
                             headers={"x-csrf-token": csrf, "content-type": "application/octet-stream",
                                      "x-upload-name": "demo.vtt"})
        assert answer.status_code == 202, answer.text
        job_id = answer.json()["id"]
        assert job_id.startswith("j-") and len(job_id) == 10
        for _ in range(400):
            job = client.get(f"/api/jobs/{job_id}").json()
            if job["state"] in ("done", "failed"):
                break
            time.sleep(0.05)
        assert job["state"] == "done", job
        with store.transaction(state.vault.engine) as conn:
            row = R.get(conn, job_id)
        assert row is not None and row.state == R.DONE and row.owner_id == owner
        assert row.session_id == job["session"] and [h["stage"] for h in row.history] == ["parse", "analyze", "store"]
        info = client.get(f"/api/sessions/{job['session']}").json()
        assert info["client"] == ids["client"] and info["utterances"] > 100
        assert state.keyring.holders(owner) == {"web"}  # the finished job let go of the keys
        runner = state.runner
        client.post("/signout", headers={"x-csrf-token": csrf}, data={"csrf": csrf})
        state.sessions.sweep()
        state.lock_if_idle()
    assert state.vault is None and state.runner is None and runner._stop.is_set()
