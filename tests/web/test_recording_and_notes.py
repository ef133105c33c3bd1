"""Recording in the room (chunks sealed on arrival, processing on stop), speaker corrections, note signing."""

from __future__ import annotations

from pathlib import Path

from .conftest import SignedIn
from .helpers import wait_for_job

WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 60
MARKER = b"PLAINTEXT-CANARY-" * 8


def _files_contain(directory: Path, needle: bytes) -> bool:
    return any(needle in p.read_bytes() for p in directory.iterdir() if p.is_file())


def test_recording_chunks_are_sealed_as_they_arrive(alice: SignedIn) -> None:
    client, directory, ids, csrf = alice.client, alice.directory, alice.ids, alice.csrf
    h = {"x-csrf-token": csrf, "content-type": "application/octet-stream"}
    started = client.post(f"/api/clients/{ids['client']}/recordings", headers={**h, "x-audio-type":
                                                                                "audio/webm;codecs=opus"})
    assert started.status_code == 201
    sid = started.json()["id"]
    assert client.post(f"/api/recordings/{sid}/chunks/0", content=b"not audio", headers=h).status_code == 400
    assert client.post(f"/api/recordings/{sid}/chunks/0", content=WEBM + MARKER, headers=h).status_code == 201
    assert not _files_contain(directory, MARKER)  # sealed before anything reached the disk
    assert client.post(f"/api/recordings/{sid}/chunks/5", content=MARKER, headers=h).status_code == 400
    assert client.post(f"/api/recordings/{sid}/chunks/1", content=MARKER, headers=h).status_code == 201
    assert client.get(f"/api/sessions/{sid}/audio").status_code == 404  # not playable while recording
    job = client.post(f"/api/recordings/{sid}/stop", headers=h).json()
    done = wait_for_job(client, job["id"])
    # these bytes only look like WebM: joining and sealing succeed, decoding then fails plainly
    assert done["session"] == sid and done["state"] == "failed", done
    assert "CANARY" not in done["message"] and "Traceback" not in done["message"]
    info = client.get(f"/api/sessions/{sid}").json()
    assert info["status"] == "awaiting_transcription" and info["status_note"].startswith("Transcription")
    audio = client.get(f"/api/sessions/{sid}/audio")
    assert audio.content == WEBM + MARKER + MARKER and audio.headers["content-type"] == "audio/webm"
    part = client.get(f"/api/sessions/{sid}/audio", headers={"range": "bytes=0-3"})
    assert part.status_code == 206 and part.content == WEBM[:4]
    assert [r["kind"] for r in info["records"]] == ["audio"]  # the parts were joined and dropped
    assert not _files_contain(directory, MARKER)
    again = client.post(f"/api/recordings/{sid}/stop", headers=h).json()
    assert wait_for_job(client, again["id"])["state"] == "failed"
    assert "awaiting transcription" in client.get(f"/sessions/{sid}").text


def test_speaker_corrections_are_kept_and_reanalysed(alice: SignedIn) -> None:
    client, sid, h = alice.client, alice.sid, alice.h
    before = client.get(f"/api/sessions/{sid}/analysis").json()
    answer = client.post(f"/api/sessions/{sid}/speakers", headers=h,
                         json={"speakers": {"Daniel": {"name": "D."}}, "utterances": {"u2": "Helen Varga"}})
    assert answer.status_code == 200, answer.text
    after = client.get(f"/api/sessions/{sid}/analysis").json()
    assert next(u for u in after["utterances"] if u["id"] == "u2")["role"] == "therapist"
    assert after["metrics"]["talk_time"]["client"]["seconds"] < before["metrics"]["talk_time"]["client"]["seconds"]
    assert next(s for s in after["speakers"] if s["id"] == "Daniel")["name"] == "D."
    bad = client.post(f"/api/sessions/{sid}/speakers", headers=h,
                      json={"speakers": {"Daniel": {"role": "therapist"}}})
    assert bad.status_code == 400  # no client left
    assert client.post(f"/api/sessions/{sid}/speakers", headers=h,
                       json={"speakers": {"Nobody": {"role": "client"}}}).status_code == 400


def test_note_draft_edit_sign_and_final(alice: SignedIn) -> None:
    client, sid, h = alice.client, alice.sid, alice.h
    assert client.get(f"/api/sessions/{sid}/note").status_code == 404
    assert "Write a first draft" in client.get(f"/sessions/{sid}/note").text
    assert client.post(f"/api/sessions/{sid}/note/sign", headers=h).status_code == 404
    drafted = client.post(f"/api/sessions/{sid}/note/draft", json={"format": "dap"}, headers=h)
    assert drafted.status_code == 201, drafted.text
    note = client.get(f"/api/sessions/{sid}/note").json()
    assert note["status"] == "draft" and any(s["evidence"] for sec in note["sections"] for s in sec["sentences"])
    sections = [{"key": sec["key"], "sentences": [{"text": s["text"]} for s in sec["sentences"]]}
                for sec in note["sections"]]
    sections[0]["sentences"].append({"text": "Client weighed options."})
    if sections[0]["sentences"][:-1]:
        sections[0]["sentences"][0]["text"] = "Rewritten by the clinician."
    saved = client.put(f"/api/sessions/{sid}/note", json={"sections": sections}, headers=h)
    assert saved.status_code == 200, saved.text
    texts = [s["text"] for s in saved.json()["sections"][0]["sentences"]]
    assert texts[-1] == "Client weighed options."
    signed = client.post(f"/api/sessions/{sid}/note/sign", headers=h)
    assert signed.status_code == 200 and len(signed.json()["sha256"]) == 64
    assert client.put(f"/api/sessions/{sid}/note", json={"sections": sections}, headers=h).status_code == 400
    assert client.post(f"/api/sessions/{sid}/note/sign", headers=h).status_code == 400
    note = client.get(f"/api/sessions/{sid}/note").json()
    assert note["status"] == "signed" and note["signed_by"] == "alice"
    export = client.get(f"/sessions/{sid}/note/export/markdown")
    assert export.status_code == 200 and "attachment" in export.headers["content-disposition"]
    assert client.get(f"/sessions/{sid}/note/export/../../x").status_code == 404
    assert client.get(f"/sessions/{sid}/note/export/exe").status_code == 400
