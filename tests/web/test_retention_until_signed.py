"""Retention "until the note is signed" (the default for new clients): the review page plays the recording
while the clinician reviews; signing deletes it, with the receipt in the audit trail. "after
transcription" and "keep" stay per-client choices."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .conftest import SignedIn
from .helpers import BASE, CAROL_PASSWORD, audit_trail, browser, sign_in
from .test_range_audio import wav

AUDIO = wav(3.0)


def _attach(client, csrf: str, sid: str) -> None:
    put = client.post(f"/api/sessions/{sid}/audio", content=AUDIO,
                      headers={"x-csrf-token": csrf, "content-type": "application/octet-stream"})
    assert put.status_code == 201, put.text


def _sign(client, csrf: str, sid: str) -> None:
    h = {"x-csrf-token": csrf}
    assert client.post(f"/api/sessions/{sid}/note/draft", headers=h, json={"format": "soap"}).status_code == 201
    signed = client.post(f"/api/sessions/{sid}/note/sign", headers=h)
    assert signed.status_code == 200, signed.text


def _entries(directory):
    entries, verdict = audit_trail(directory)
    assert verdict["ok"]
    return entries


def test_the_recording_plays_during_review_and_goes_when_the_note_is_signed(alice: SignedIn) -> None:
    client, directory, ids, sid, csrf = alice.client, alice.directory, alice.ids, alice.sid, alice.csrf
    policy = client.get(f"/api/clients/{ids['client']}/retention").json()
    assert policy == {"client": ids["client"], "audio": "until_signed", "chosen": False}
    _attach(client, csrf, sid)  # the session already has its transcript: the audio stays for the review
    page = client.get(f"/sessions/{sid}")
    assert page.status_code == 200 and f'src="/api/sessions/{sid}/audio"' in page.text
    assert client.get(f"/api/sessions/{sid}/audio", headers={"range": "bytes=0-43"}).content == AUDIO[:44]
    blob = next(r["id"] for r in client.get(f"/api/sessions/{sid}").json()["records"] if r["kind"] == "audio")
    _sign(client, csrf, sid)
    assert client.get(f"/api/sessions/{sid}/audio").status_code == 404
    assert "audio" not in [r["kind"] for r in client.get(f"/api/sessions/{sid}").json()["records"]]
    assert f'src="/api/sessions/{sid}/audio"' not in client.get(f"/sessions/{sid}").text
    receipt = [e for e in _entries(directory) if e.action == "delete.blob" and e.target == blob]
    assert len(receipt) == 1 and '"reason":"retention:audio_until_signed"' in receipt[0].detail


def test_keep_and_after_transcription_stay_per_client_choices(alice: SignedIn) -> None:
    client, directory, ids, sid, csrf, h = alice.client, alice.directory, alice.ids, alice.sid, alice.csrf, alice.h
    assert client.put(f"/api/clients/{ids['client']}/retention", headers=h,
                      json={"audio": "forever"}).status_code == 422
    kept = client.put(f"/api/clients/{ids['client']}/retention", headers=h, json={"audio": "keep"})
    assert kept.status_code == 200 and kept.json()["deleted"] == []
    _attach(client, csrf, sid)
    _sign(client, csrf, sid)
    assert client.get(f"/api/sessions/{sid}/audio").status_code == 200  # kept after signing
    after = client.put(f"/api/clients/{ids['client']}/retention", headers=h,
                       json={"audio": "after_transcription"}).json()
    assert [r["kind"] for r in after["deleted"]] == ["audio"]  # transcribed already: it goes now
    assert client.get(f"/api/sessions/{sid}/audio").status_code == 404
    assert client.get(f"/api/clients/{ids['client']}/retention").json()["chosen"] is True
    reasons = [e.detail for e in _entries(directory) if e.action == "delete.blob"]
    assert len(reasons) == 1 and "retention:audio_after_transcription" in reasons[0]


def test_another_clinicians_client_retention_is_not_found(vault) -> None:
    directory, ids = vault
    with browser(directory) as alice:
        sign_in(alice)  # the owner opens the vault; carol signs in beside her
        carol = TestClient(alice.app, base_url=BASE, follow_redirects=False)
        csrf = sign_in(carol, "carol", CAROL_PASSWORD)
        assert carol.get(f"/api/clients/{ids['client']}/retention").status_code == 404
        assert carol.put(f"/api/clients/{ids['client']}/retention", headers={"x-csrf-token": csrf},
                         json={"audio": "keep"}).status_code == 404
        assert alice.get(f"/api/clients/{ids['client']}/retention").json()["chosen"] is False
