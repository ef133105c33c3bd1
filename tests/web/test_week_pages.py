"""Issue 19, first part: the jobs page and a readiness check that reports no broker on the laptop."""

from __future__ import annotations

import html
import time

from fastapi.testclient import TestClient

from .helpers import BASE, CAROL_PASSWORD, DEMO, browser, sign_in


def _upload(client, client_id: str, data: bytes, name: str, csrf: str) -> dict:
    answer = client.post(f"/api/clients/{client_id}/uploads", content=data,
                         headers={"x-csrf-token": csrf, "x-upload-name": name,
                                  "content-type": "application/octet-stream"})
    assert answer.status_code == 202, answer.text
    for _ in range(400):
        job = client.get(f"/api/jobs/{answer.json()['id']}").json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError("job never finished")


def test_ready_reports_no_broker_for_the_in_memory_keyring(vault) -> None:
    directory, _ = vault
    with browser(directory) as client:
        sign_in(client)  # the in-process runner and its memory keyring exist now
        answer = client.get("/api/ready")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ready", "checks": {"database": True}}


def test_jobs_page_lists_own_jobs_with_a_phi_free_reason(vault) -> None:
    directory, ids = vault
    with browser(directory) as client:
        assert client.get("/jobs").headers["location"] == "/signin"
        csrf = sign_in(client)
        assert "No processing jobs yet" in client.get("/jobs").text
        done = _upload(client, ids["client"], DEMO.read_bytes(), "demo.vtt", csrf)
        canary = b"WEBVTT\n\nnot a cue CANARY-Zebulon-Quartz\n"
        failed = _upload(client, ids["client"], canary, "broken.vtt", csrf)
        page = html.unescape(client.get("/jobs").text)
    assert done["state"] == "done" and failed["state"] == "failed", (done, failed)
    assert f'href="/sessions/{done["session"]}"' in page
    assert "failed" in page and failed["message"] and failed["message"] in page
    assert "Zebulon" not in page and "Dana Example" not in page  # no transcript text, no client name


def test_jobs_page_shows_only_the_accounts_own_jobs(vault) -> None:
    directory, ids = vault
    with browser(directory) as client:
        csrf = sign_in(client)
        _upload(client, ids["client"], DEMO.read_bytes(), "demo.vtt", csrf)
        assert "Review</a>" in client.get("/jobs").text
        other = TestClient(client.app, base_url=BASE, follow_redirects=False)  # carol signs in on the same server
        sign_in(other, "carol", CAROL_PASSWORD)
        assert "No processing jobs yet" in other.get("/jobs").text
