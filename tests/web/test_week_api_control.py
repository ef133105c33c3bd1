"""Issue 19: cancel / retry a job and change an account's role through the JSON API (same use cases as the pages)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .helpers import BASE, CAROL_PASSWORD, browser, sign_in
from .test_week_control import _until


def test_jobs_api_cancel_and_retry_own_jobs_only(vault) -> None:
    directory, ids = vault
    with browser(directory) as client:
        csrf = sign_in(client)
        head = {"x-csrf-token": csrf}
        answer = client.post(f"/api/clients/{ids['client']}/uploads", content=b"WEBVTT\n\nnot a cue\n",
                             headers={**head, "x-upload-name": "broken.vtt", "content-type": "application/octet-stream"})
        assert answer.status_code == 202, answer.text
        job_id = answer.json()["id"]
        assert _until(client, job_id, lambda j: j["state"] in ("done", "failed"))["state"] == "failed"
        assert client.post(f"/api/jobs/{job_id}/cancel").status_code == 403  # no CSRF header
        refused = client.post(f"/api/jobs/{job_id}/cancel", headers=head)
        assert refused.status_code == 400 and "only a queued, waiting or running job" in refused.json()["detail"]
        carol = TestClient(client.app, base_url=BASE, follow_redirects=False)
        carol_head = {"x-csrf-token": sign_in(carol, "carol", CAROL_PASSWORD)}
        for action in ("cancel", "retry"):
            assert carol.post(f"/api/jobs/{job_id}/{action}", headers=carol_head).status_code == 404
        assert carol.post("/api/jobs/" + "x" * 300 + "/retry", headers=carol_head).status_code == 422
        retried = client.post(f"/api/jobs/{job_id}/retry", headers=head)
        assert retried.status_code == 200, retried.text
        assert set(retried.json()) >= {"id", "state", "step", "progress", "message"}
        assert _until(client, job_id, lambda j: j["state"] in ("done", "failed"))["state"] == "failed"  # same file
        again = client.post(f"/api/jobs/{job_id}/retry", headers=head).json()
        assert again["state"] in ("queued", "running", "waiting_for_keys", "failed")
        _until(client, job_id, lambda j: j["state"] == "failed")


def test_accounts_api_role_change(vault) -> None:
    directory, _ = vault
    with browser(directory) as owner:
        head = {"x-csrf-token": sign_in(owner)}
        listed = owner.get("/api/accounts")
        assert listed.status_code == 200 and {a["username"] for a in listed.json()} == {"alice", "carol"}
        assert "password_hash" not in listed.text
        changed = owner.post("/api/accounts/carol/role", json={"role": "supervisor"}, headers=head)
        assert changed.status_code == 200 and changed.json()["role"] == "supervisor", changed.text
        assert owner.post("/api/accounts/alice/role", json={"role": "admin"}, headers=head).status_code == 400
        assert owner.post("/api/accounts/nobody/role", json={"role": "admin"}, headers=head).status_code == 404
        for bad in ({"role": "root"}, {"role": "admin", "x": 1}, {}):
            assert owner.post("/api/accounts/carol/role", json=bad, headers=head).status_code == 422
        assert owner.post("/api/accounts/" + "X" * 80 + "/role", json={"role": "admin"},
                          headers=head).status_code == 422
        carol = TestClient(owner.app, base_url=BASE, follow_redirects=False)
        carol_head = {"x-csrf-token": sign_in(carol, "carol", CAROL_PASSWORD)}
        assert carol.get("/api/accounts").status_code == 403
        assert carol.post("/api/accounts/alice/role", json={"role": "clinician"},
                          headers=carol_head).status_code == 403
        assert owner.post("/api/accounts/carol/role", json={"role": "clinician"}, headers=head).json()["role"] \
            == "clinician"
