"""The web app as a practice server: PostgreSQL, Redis keyring, a real Celery worker process."""

from __future__ import annotations

import re
import time

import pytest
from fastapi.testclient import TestClient

from sessionlens.vault import worker_approvals
from sessionlens.services import clients, consent
from sessionlens.web import create_app

from .conftest import DEMO, PASSPHRASE, PASSWORDS, settings
from .workers import cluster

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]
BASE = "https://127.0.0.1"


def _sign_in(client: TestClient, username: str, secret: str | None = None) -> str:
    page = client.get("/signin")
    pre = re.search(r'name="pre" value="([^"]+)"', page.text).group(1)
    answer = client.post("/signin", data={"pre": pre, "username": username,
                                          "secret": secret or PASSWORDS[username]})
    assert answer.status_code == 303, answer.text
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get("/clients").text).group(1)


def _sign_out(client: TestClient, csrf: str) -> None:
    assert client.post("/signout", data={"csrf": csrf}).status_code == 303


def _state(server, job_id: str) -> str:  # type: ignore[no-untyped-def]
    from sessionlens.vault import job_rows

    with server.vault.transaction() as conn:
        return job_rows.get(conn, job_id).state


def test_upload_runs_on_a_worker_and_keys_follow_the_clinician(server, tmp_path) -> None:
    alice_ctx = server.ctx["alice"]
    cid = clients.add_client(alice_ctx, "Jane Example")["id"]
    consent.record_consent(alice_ctx, cid)
    alice_id = alice_ctx.actor.id
    s = settings(database_url=server.url, job_runner="celery", job_lease_seconds=5)
    with cluster(server.url, tmp_path, worker_approvals.directory(s)) as c:  # workers approved where the web looks
        s = settings(database_url=server.url, job_runner="celery", broker_url=c.broker_url, job_lease_seconds=c.lease)
        keyring = c.web_keyring()  # (this test's view of the keyring: holders and markers)
        c.start("worker-1", log=tmp_path / "w.log")  # running and approved before the upload: it gets the job
        import os

        os.environ["SESSIONLENS_QUEUE"] = c.queue
        try:
            app = create_app(s)
        finally:
            del os.environ["SESSIONLENS_QUEUE"]
        with TestClient(app, base_url=BASE, follow_redirects=False) as web:
            assert web.get("/api/ready").json() == {"status": "ready", "checks": {"database": True, "broker": True}}
            csrf = _sign_in(web, "alice")  # no passphrase: alice's own keys open her data
            state = app.state.web
            assert state.vault is not None and not state.vault.has_vault_kek
            assert keyring.holders(alice_id) == {"web"} and keyring.get(alice_id) is not None

            r = web.post(f"/api/clients/{cid}/uploads", content=DEMO.read_bytes(),
                         headers={"x-csrf-token": csrf, "x-upload-name": "demo.vtt",
                                  "content-type": "application/octet-stream"})
            assert r.status_code == 202, r.text
            job = r.json()
            assert job["id"].startswith("j-") and job["state"] in ("queued", "waiting_for_keys")
            _sign_out(web, csrf)  # she leaves: the approved job keeps her keys until it ends
            assert keyring.holders(alice_id) == {f"job:{job['id']}"}
            assert state.vault is None  # nobody signed in: nothing held in the web process

            deadline = time.monotonic() + 240  # generous: the worker loads every model cold, niced, on a shared machine
            while _state(server, job["id"]) != "done":  # the worker ends the job; its grant went with it ...
                assert time.monotonic() < deadline, (tmp_path / "w.log").read_text()[-2000:]
                time.sleep(0.2)
            assert not keyring.client.exists(keyring.grant_key(job["id"], c.ids["worker-1"]))
            csrf = _sign_in(web, "alice")
            # ... and the web, not the worker (whose Redis user cannot touch holds), clears the job's hold
            assert keyring.holders(alice_id) == {"web"}
            status = web.get(f"/api/jobs/{job['id']}").json()
            assert status["state"] == "done" and status["progress"] == 1.0, status
            assert web.get(f"/api/sessions/{status['session']}").status_code == 200
            assert [j["id"] for j in web.get("/api/jobs").json()] == [job["id"]]

            # The admin (vault passphrase) signs in too: their keys open no clinician's data.
            admin = TestClient(app, base_url=BASE, follow_redirects=False)
            _sign_in(admin, "", PASSPHRASE)
            assert state.vault.has_vault_kek
            assert admin.get(f"/api/sessions/{status['session']}").status_code in (403, 404)
            _sign_out(web, csrf)
            assert alice_id not in state.vault.held_accounts()  # her KEK left with her last session
            assert keyring.get(alice_id) is None
