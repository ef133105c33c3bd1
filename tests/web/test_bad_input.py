"""Hostile input gets a 4xx with a plain message — never a 500, never a leak of PHI."""

from __future__ import annotations

import io
import logging
import tempfile
import zipfile

import pytest
from fastapi.testclient import TestClient

from sessionlens.services import clients as client_service

from .conftest import SignedIn
from .helpers import BASE, CAROL_PASSWORD, DEMO, browser, sign_in, upload, wait_for_job


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("data, name, status", [
    (b"\x00\x01\x02binary\x00junk" * 100, "notes.vtt", 400),  # wrong type, whatever the name says
    (b"\xff\xfe\xfa not utf-8 \xc3\x28", "session.txt", 400),
    (b"", "empty.vtt", 400),
    (_zip({"word/document.xml": b"\0" * (40 * 1024 * 1024)}), "bomb.docx", 400),  # zip bomb
    (_zip({"../../evil.xml": b"<x/>"}), "evil.docx", 400),
    (b"PK\x03\x04 not really a zip", "broken.docx", 400),
])
def test_hostile_uploads(alice: SignedIn, data: bytes, name: str, status: int) -> None:
    client, ids, csrf = alice.client, alice.ids, alice.csrf
    answer = upload(client, ids["client"], data, name, csrf)
    assert answer.status_code == status, answer.text
    assert set(answer.json()) == {"detail"}


def test_too_large_is_refused_before_reading(vault) -> None:
    directory, ids = vault
    with browser(directory, web_upload_max_mib=1, web_transcript_max_mib=1) as client:
        csrf = sign_in(client)
        assert upload(client, ids["client"], b"a" * (1024 * 1024 + 10), "big.txt", csrf).status_code == 413
        declared = client.post(f"/api/clients/{ids['client']}/uploads", content=b"x",
                               headers={"x-csrf-token": csrf, "content-length": str(10**12)})
        assert declared.status_code in (400, 413)


def test_path_traversal_name_is_reduced_to_an_extension(vault, tmp_path) -> None:
    directory, ids = vault
    before = {p.name for p in tmp_path.iterdir()}
    with browser(directory) as client:
        csrf = sign_in(client)
        answer = upload(client, ids["client"], DEMO.read_bytes(), "../../../../tmp/Dana_Example_notes.vtt", csrf)
        assert answer.status_code == 202
        job = wait_for_job(client, answer.json()["id"])
        assert job["state"] == "done", job
        info = client.get(f"/api/sessions/{job['session']}").json()
        assert info["source_name"] == "upload.vtt"
    assert {p.name for p in tmp_path.iterdir()} == before


def test_upload_needs_consent(alice: SignedIn) -> None:
    client, ids, csrf = alice.client, alice.ids, alice.csrf
    assert upload(client, ids["bare_client"], DEMO.read_bytes(), "a.vtt", csrf).status_code == 409
    start = client.post(f"/api/clients/{ids['bare_client']}/recordings", headers={"x-csrf-token": csrf})
    assert start.status_code == 409
    assert "blocked" in client.get(f"/clients/{ids['bare_client']}/record").text


def test_uploads_never_touch_temp_files(vault, monkeypatch) -> None:
    directory, ids = vault

    def refuse(*args, **kwargs):
        raise AssertionError("an upload was spooled to a temp file")

    with browser(directory) as client:
        csrf = sign_in(client)
        for name in ("SpooledTemporaryFile", "NamedTemporaryFile", "TemporaryFile", "mkstemp"):
            monkeypatch.setattr(tempfile, name, refuse)
        answer = upload(client, ids["client"], DEMO.read_bytes(), "demo.vtt", csrf)
        assert answer.status_code == 202
        assert wait_for_job(client, answer.json()["id"])["state"] == "done"


def test_another_accounts_ids_are_not_found(vault) -> None:
    directory, ids = vault
    with browser(directory) as alice:
        alice_csrf = sign_in(alice)
        job = upload(alice, ids["client"], DEMO.read_bytes(), "demo.vtt", alice_csrf).json()
        carol = TestClient(alice.app, base_url=BASE, follow_redirects=False)
        csrf = sign_in(carol, "carol", CAROL_PASSWORD)
        h = {"x-csrf-token": csrf}
        sid, cid = ids["session"], ids["client"]
        for url in (f"/api/clients/{cid}", f"/api/sessions/{sid}", f"/api/sessions/{sid}/analysis",
                    f"/api/sessions/{sid}/audio", f"/api/sessions/{sid}/note", f"/api/jobs/{job['id']}",
                    f"/api/sessions?client={cid}"):
            r = carol.get(url)
            assert r.status_code == 404, (url, r.status_code)
            assert "Dana" not in r.text
        for url in (f"/clients/{cid}", f"/sessions/{sid}", f"/sessions/{sid}/note", f"/sessions/{sid}/export/analysis",
                    f"/sessions/{sid}/note/export/markdown"):
            r = carol.get(url)
            assert r.status_code == 404 and "Dana" not in r.text, url
        assert carol.post(f"/api/sessions/{sid}/speakers", json={"speakers": {"Daniel": {"role": "client"}}},
                          headers=h).status_code == 404
        assert carol.put(f"/api/sessions/{sid}/note", json={"sections": []}, headers=h).status_code == 404
        assert carol.post(f"/api/sessions/{sid}/note/sign", headers=h).status_code == 404
        assert carol.post(f"/api/sessions/{sid}/note/draft", json={}, headers=h).status_code == 404
        assert carol.post(f"/api/recordings/{sid}/stop", headers=h).status_code == 404
        assert carol.post(f"/api/clients/{cid}/consent", json={"scopes": ["analysis"]}, headers=h).status_code == 404


@pytest.mark.parametrize("url", ["/sessions/..%2F..%2Fetc%2Fpasswd", "/sessions/s-zzzzzzzz", "/clients/<script>",
                                 "/api/sessions/s-ABCDEFGH", "/api/jobs/..%2F..", "/sessions/s-zzzzzzzz/export/original"])
def test_odd_ids_are_plain_4xx(alice: SignedIn, url: str) -> None:
    client = alice.client
    r = client.get(url)
    assert 400 <= r.status_code < 500, (url, r.status_code)
    assert "<script>" not in r.text and "Traceback" not in r.text


def test_validation_errors_do_not_echo_input(alice: SignedIn) -> None:
    client, csrf = alice.client, alice.csrf
    secret = "Dana Secretname " * 30
    r = client.post("/api/clients", json={"name": secret}, headers={"x-csrf-token": csrf})
    assert r.status_code == 422 and "Secretname" not in r.text
    r = client.post("/api/clients", content=b"{not json", headers={"x-csrf-token": csrf,
                                                                     "content-type": "application/json"})
    assert r.status_code == 422


def test_internal_errors_are_plain_and_leak_nothing(vault, monkeypatch, caplog) -> None:
    directory, _ = vault

    def boom(*args, **kwargs):
        raise RuntimeError("Dana Example said something private")

    with browser(directory) as client:
        sign_in(client)
        monkeypatch.setattr(client_service, "list_clients", boom)
        with caplog.at_level(logging.DEBUG):
            for url in ("/api/clients", "/clients"):
                r = client.get(url)
                assert r.status_code == 500
                assert "Dana" not in r.text and "Traceback" not in r.text
                assert r.headers["cache-control"] == "no-store"
        assert "Dana" not in caplog.text and "private" not in caplog.text
        logged = [r.sl_fields for r in caplog.records if r.getMessage() == "web.server_error"]
        assert logged == [{"route": "/api/clients", "method": "GET", "status": 500, "error": "RuntimeError"},
                          {"route": "/clients", "method": "GET", "status": 500, "error": "RuntimeError"}]
