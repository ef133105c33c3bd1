"""Audio playback with HTTP Range, served from the streaming blob store: real requests against the app,
only the chunks a range needs are decrypted, bad ranges get 416, and the caps refuse what is too long."""

from __future__ import annotations

import math
import struct

import pytest

from sessionlens.services import audit, vaults
from sessionlens.vault import chunks
from sessionlens.vault.audit import load

from .helpers import PASSPHRASE, browser, pcm_wav, settings, sign_in


def wav(seconds: float, rate: int = 16000) -> bytes:
    """A real PCM WAV file: a quiet 220 Hz tone."""
    frames = b"".join(struct.pack("<h", int(3000 * math.sin(2 * math.pi * 220 * i / rate)))
                      for i in range(int(seconds * rate)))
    return pcm_wav(frames, rate, sample_width=2)


AUDIO = wav(40.0)  # 1.28 MB: five chunks of the store


@pytest.fixture
def played(vault, monkeypatch):
    """A signed-in browser on a session with its recording attached; counts chunk decryptions."""
    directory, ids = vault
    opened: list[int] = []
    real = chunks.open_chunk

    def counting(*args, **kwargs):
        opened.append(kwargs["idx"])
        return real(*args, **kwargs)

    monkeypatch.setattr(chunks, "open_chunk", counting)
    with browser(directory) as client:
        csrf = sign_in(client)
        sid = ids["session"]
        put = client.post(f"/api/sessions/{sid}/audio", content=AUDIO,
                          headers={"x-csrf-token": csrf, "content-type": "application/octet-stream"})
        assert put.status_code == 201, put.text
        opened.clear()
        yield client, sid, opened


def test_byte_ranges_are_served_exactly(played) -> None:
    client, sid, opened = played
    size = len(AUDIO)
    cases = {"bytes=0-99": (0, 99), "bytes=300000-300000": (300000, 300000), f"bytes={size - 10}-": (size - 10, size - 1),
             "bytes=-500": (size - 500, size - 1), f"bytes=1000-{size * 3}": (1000, size - 1),
             "bytes=262140-262150": (262140, 262150)}  # across a chunk boundary
    for header, (first, last) in cases.items():
        answer = client.get(f"/api/sessions/{sid}/audio", headers={"range": header})
        assert answer.status_code == 206, header
        assert answer.content == AUDIO[first:last + 1], header
        assert answer.headers["content-range"] == f"bytes {first}-{last}/{size}", header
        assert answer.headers["content-type"] == "audio/wav" and answer.headers["accept-ranges"] == "bytes"
    whole = client.get(f"/api/sessions/{sid}/audio")
    assert whole.status_code == 200 and whole.content == AUDIO
    assert whole.headers["content-length"] == str(size)


def test_a_small_range_decrypts_only_its_chunk(played) -> None:
    client, sid, opened = played
    answer = client.get(f"/api/sessions/{sid}/audio", headers={"range": "bytes=600000-600999"})
    assert answer.status_code == 206 and answer.content == AUDIO[600000:601000]
    assert opened == [600000 // chunks.CHUNK_SIZE]  # one chunk of five, not the file
    opened.clear()
    client.get(f"/api/sessions/{sid}/audio", headers={"range": "bytes=-100"})
    assert opened == [(len(AUDIO) - 1) // chunks.CHUNK_SIZE]


@pytest.mark.parametrize("header", ["bytes=99999999-", "bytes=5-2", "bytes=abc", "bytes=0-1,5-9", "items=0-9",
                                    "bytes=-0", "bytes=-"])
def test_ranges_that_cannot_be_served_get_416(played, header) -> None:
    client, sid, opened = played
    answer = client.get(f"/api/sessions/{sid}/audio", headers={"range": header})
    assert answer.status_code == 416
    assert answer.headers["content-range"] == f"bytes */{len(AUDIO)}"
    assert answer.content == b"" and opened == []


def test_each_range_request_is_one_audit_entry(vault, played) -> None:
    client, sid, _ = played
    for first in (0, 1000, 2000):
        client.get(f"/api/sessions/{sid}/audio", headers={"range": f"bytes={first}-{first + 9}"})
    vault_obj = vaults.open_vault(passphrase=PASSPHRASE, data_dir=vault[0], settings=settings())
    ctx = vaults.sign_in_owner(vault_obj)
    with vault_obj.transaction() as conn:
        reads = [e for e in load(conn) if e.action == "media.read"]
    assert [e.detail.count('"from":') for e in reads[-3:]] == [1, 1, 1]
    assert [('"from":%d' % f) in e.detail for e, f in zip(reads[-3:], (0, 1000, 2000))] == [True] * 3
    assert audit.verify_audit(ctx)["ok"]
    vault_obj.close()


def test_audio_longer_than_the_cap_is_refused(vault) -> None:
    directory, ids = vault
    with browser(directory, audio_max_minutes=1) as client:
        csrf = sign_in(client)
        answer = client.post(f"/api/sessions/{ids['session']}/audio", content=wav(61.0),
                             headers={"x-csrf-token": csrf, "content-type": "application/octet-stream"})
        assert answer.status_code == 400 and "audio_max_minutes" in answer.json()["detail"]
