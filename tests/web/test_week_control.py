"""Issue 19: cancel and retry a processing job from the jobs page; change an account's role from the accounts page."""

from __future__ import annotations

import html
import json
import time

import pytest
from fastapi.testclient import TestClient

from sessionlens.jobs.stages import PAUSE_ENV
from sessionlens.services import consent
from sessionlens.services.context import Ctx
from sessionlens.services.server_jobs import job_holder
from sessionlens.vault import accounts, audit, store
from sessionlens.vault import job_rows as R

from .helpers import BASE, CAROL_PASSWORD, DEMO, browser, csrf_of, sign_in


def _submit(client, client_id: str, csrf: str) -> str:
    answer = client.post(f"/api/clients/{client_id}/uploads", content=DEMO.read_bytes(),
                         headers={"x-csrf-token": csrf, "x-upload-name": "demo.vtt",
                                  "content-type": "application/octet-stream"})
    assert answer.status_code == 202, answer.text
    return answer.json()["id"]


def _until(client, job_id: str, done, seconds: float = 60.0) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        if done(job):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job never reached the expected state: {job}")


def _checkpoints(client: TestClient, job_id: str) -> set[str]:
    with store.transaction(client.app.state.web.vault.engine) as conn:
        return R.stages_stored(conn, job_id)


def _as(client: TestClient, username: str) -> Ctx:
    vault = client.app.state.web.vault
    with store.transaction(vault.engine) as conn:
        return Ctx(vault, accounts.get(vault, conn, username))


def _actions(client: TestClient, target: str) -> list[str]:
    with store.transaction(client.app.state.web.vault.engine) as conn:
        return [e.action for e in audit.entries_for(conn, target)]


def test_cancel_stops_a_running_job_and_deletes_its_checkpoints(vault, monkeypatch: pytest.MonkeyPatch) -> None:
    directory, ids = vault
    monkeypatch.setenv(PAUSE_ENV, "parse:1.5")  # the worker holds the job between two stages
    with browser(directory) as client:
        csrf = sign_in(client)
        state = client.app.state.web
        sessions_before = len(client.get(f"/api/clients/{ids['client']}").json()["sessions"])
        job_id = _submit(client, ids["client"], csrf)
        _until(client, job_id, lambda j: "parse" in _checkpoints(client, job_id))
        page = html.unescape(client.get("/jobs").text)
        assert f'action="/jobs/{job_id}/cancel"' in page and f'/jobs/{job_id}/retry' not in page
        assert job_holder(job_id) in state.keyring.holders(_as(client, "alice").actor.id)
        assert client.post(f"/jobs/{job_id}/cancel", data={"go": "1"}).status_code == 403  # no CSRF token
        answer = client.post(f"/jobs/{job_id}/cancel", data={"csrf": csrf})
        assert answer.status_code == 303 and answer.headers["location"] == "/jobs"
        assert client.get(f"/api/jobs/{job_id}").json()["state"] == "cancelled"
        assert job_holder(job_id) not in state.keyring.holders(_as(client, "alice").actor.id)  # keys let go
        state.runner.shutdown()  # waits for the worker: it wakes, analyses, and is fenced out at its next write
        assert _checkpoints(client, job_id) == set()  # the sealed upload and parse result are deleted
        assert client.get(f"/api/jobs/{job_id}").json()["state"] == "cancelled"
        assert len(client.get(f"/api/clients/{ids['client']}").json()["sessions"]) == sessions_before
        again = client.post(f"/jobs/{job_id}/cancel", data={"csrf": csrf})
        assert again.status_code == 400 and "only a queued, waiting or running job" in html.unescape(again.text)
        assert client.post(f"/jobs/{job_id}/retry", data={"csrf": csrf}).status_code == 400  # not failed
        assert "job.cancel" in _actions(client, job_id)


def test_retry_resumes_a_failed_job_from_its_checkpoint(vault, monkeypatch: pytest.MonkeyPatch) -> None:
    directory, ids = vault
    monkeypatch.setenv(PAUSE_ENV, "analyze:1.5")
    with browser(directory) as client:
        csrf = sign_in(client)
        job_id = _submit(client, ids["client"], csrf)
        _until(client, job_id, lambda j: "analyze" in _checkpoints(client, job_id))
        consent.revoke_consent(_as(client, "alice"), ids["client"])  # while the worker pauses: storing must fail
        failed = _until(client, job_id, lambda j: j["state"] in ("done", "failed"))
        assert failed["state"] == "failed" and "consent" in failed["message"], failed
        page = html.unescape(client.get("/jobs").text)
        assert f'action="/jobs/{job_id}/retry"' in page and failed["message"] in page
        consent.record_consent(_as(client, "alice"), ids["client"])
        monkeypatch.delenv(PAUSE_ENV)
        assert client.post(f"/jobs/{job_id}/retry", data={"csrf": csrf}).status_code == 303
        done = _until(client, job_id, lambda j: j["state"] in ("done", "failed"))
        assert done["state"] == "done", done
        with store.transaction(client.app.state.web.vault.engine) as conn:
            row = R.get(conn, job_id)
        assert row.attempts == 1  # a fresh count: the retry is a new approval
        assert [h["stage"] for h in row.history] == ["parse", "analyze", "store"]  # resumed, analysis not re-run
        assert f'href="/sessions/{done["session"]}"' in client.get("/jobs").text
        assert _actions(client, job_id).count("job.retry") == 1


def test_another_accounts_job_cannot_be_cancelled_or_retried(vault) -> None:
    directory, ids = vault
    with browser(directory) as client:
        csrf = sign_in(client)
        bad = client.post(f"/api/clients/{ids['client']}/uploads", content=b"WEBVTT\n\nnot a cue\n",
                          headers={"x-csrf-token": csrf, "x-upload-name": "broken.vtt",
                                   "content-type": "application/octet-stream"})
        job_id = bad.json()["id"]
        _until(client, job_id, lambda j: j["state"] == "failed")
        carol = TestClient(client.app, base_url=BASE, follow_redirects=False)
        carol_csrf = sign_in(carol, "carol", CAROL_PASSWORD)
        for action in ("cancel", "retry"):
            assert carol.post(f"/jobs/{job_id}/{action}", data={"csrf": carol_csrf}).status_code == 404
        assert carol.post("/jobs/../../etc/cancel", data={"csrf": carol_csrf}).status_code == 404
        assert carol.post("/jobs/" + "x" * 300 + "/retry", data={"csrf": carol_csrf}).status_code == 422
        assert client.get(f"/api/jobs/{job_id}").json()["state"] == "failed"  # untouched
        actions = _actions(client, job_id)
    assert "refused:job.cancel" in actions and "refused:job.retry" in actions


def test_role_change_from_the_accounts_page(vault) -> None:
    directory, ids = vault
    with browser(directory) as owner:
        csrf = sign_in(owner)
        assert owner.post("/accounts", data={"csrf": csrf, "username": "bob", "role": "admin",
                                             "password": "bob-admin-pass-1"}).status_code == 303
        admin = TestClient(owner.app, base_url=BASE, follow_redirects=False)
        sign_in(admin, "bob", "bob-admin-pass-1")
        token = csrf_of(admin)
        assert 'action="/accounts/carol/role"' in admin.get("/accounts").text
        changed = admin.post("/accounts/carol/role", data={"csrf": token, "role": "supervisor"})
        assert changed.status_code == 303, changed.text
        carol = TestClient(owner.app, base_url=BASE, follow_redirects=False)
        sign_in(carol, "carol", CAROL_PASSWORD)
        assert carol.get("/api/clients").status_code == 403  # a supervisor keeps no client list of her own
        assert carol.post("/accounts/bob/role", data={"csrf": csrf_of(carol), "role": "clinician"}).status_code \
            == 403  # only admins change roles
        refusals = {"alice": "vault owner", "bob": "its own role"}
        for name, why in refusals.items():
            refused = admin.post(f"/accounts/{name}/role", data={"csrf": token, "role": "supervisor"})
            assert refused.status_code == 400 and why in html.unescape(refused.text), refused.text
        for bad in ("root", "", "Admin", "x" * 5000):
            assert admin.post("/accounts/carol/role", data={"csrf": token, "role": bad}).status_code == 400
        assert admin.post("/accounts/nobody/role", data={"csrf": token, "role": "admin"}).status_code == 404
        # alice (a clinician with clients) cannot be made an admin by anyone: her clients would be orphaned
        assert admin.post("/accounts/carol/role", data={"csrf": token, "role": "clinician"}).status_code == 303
        carol = TestClient(owner.app, base_url=BASE, follow_redirects=False)
        carol_csrf = sign_in(carol, "carol", CAROL_PASSWORD)
        assert carol.post("/api/clients", json={"name": "Eve Example"},
                          headers={"x-csrf-token": carol_csrf}).status_code == 201
        kept = admin.post("/accounts/carol/role", data={"csrf": token, "role": "admin"})
        assert kept.status_code == 400 and "still has 1 client" in html.unescape(kept.text)
        with store.transaction(owner.app.state.web.vault.engine) as conn:
            carol_id = accounts.get(owner.app.state.web.vault, conn, "carol").id
            changes = [json.loads(e.detail) for e in audit.entries_for(conn, carol_id) if e.action == "account.role"]
    assert changes == [{"from": "clinician", "to": "supervisor"}, {"from": "supervisor", "to": "clinician"}]
