"""The web asks how many people were in the room; a bad count is a plain 4xx, a good one is accepted."""

from __future__ import annotations

import pytest

from .helpers import browser, sign_in


@pytest.mark.parametrize("value", ["0", "9", "two", "-1", "2.5", "9" * 40])
def test_a_bad_people_count_is_refused_plainly(vault, value: str) -> None:
    directory, ids = vault
    with browser(directory) as client:
        csrf = sign_in(client)
        for path, extra in ((f"/api/clients/{ids['client']}/recordings", {"x-audio-type": "audio/webm"}),
                            (f"/api/clients/{ids['client']}/uploads", {"x-upload-name": "a.wav"})):
            r = client.post(path, content=b"RIFF", headers={"x-csrf-token": csrf, "x-people": value,
                                                            "content-type": "application/octet-stream", **extra})
            assert r.status_code in (400, 422), (path, r.status_code, r.text)
            assert "Traceback" not in r.text and "people" in r.text.lower(), r.text


def test_a_recording_started_with_a_count(vault) -> None:
    directory, ids = vault
    with browser(directory) as client:
        csrf = sign_in(client)
        r = client.post(f"/api/clients/{ids['client']}/recordings",
                        headers={"x-csrf-token": csrf, "x-audio-type": "audio/webm", "x-people": "3"})
        assert r.status_code == 201, r.text
        page = client.get(f"/clients/{ids['client']}")
        assert 'id="upload-people"' in page.text and 'min="1" max="8"' in page.text
