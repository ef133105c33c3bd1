"""Issue 19: the settings page edits settings with config.py's own rules and help; saved values apply at once
and after a restart; the environment still wins; only admins and the vault owner save."""

from __future__ import annotations

import html
import json
import stat

import pytest
from fastapi.testclient import TestClient

from sessionlens.config import SETTINGS
from sessionlens.errors import ConfigError
from sessionlens.services import saved_settings
from sessionlens.vault import audit, store
from sessionlens.web import create_app

from .helpers import BASE, CAROL_PASSWORD, DEMO, browser, settings, sign_in


def _text(answer) -> str:
    return html.unescape(answer.text)


def test_owner_edits_settings_validated_by_config(vault) -> None:
    directory, ids = vault
    file = directory / "settings.json"
    with browser(directory) as client:
        csrf = sign_in(client)
        page = _text(client.get("/settings"))
        for s in SETTINGS:  # every setting, with its help text and rule, from config.py
            assert f"<code>{s.name}</code>" in page and s.help in page, s.name
        assert 'name="silence_threshold"' in page and 'name="database_url"' not in page
        assert 'name="note_llm_url"' not in page and 'name="web_host"' not in page  # where PHI may go: env only
        assert client.post("/settings", data={"silence_threshold": "5"}).status_code == 403  # no CSRF token
        for value, why in (("0.1", "must be between 0.5 and 600 seconds"), ("abc", "cannot read 'abc'"),
                           ("9" * 300, "at most 200 characters")):
            refused = client.post("/settings", data={"csrf": csrf, "silence_threshold": value, "note_format": "dap"})
            assert refused.status_code == 400 and why in _text(refused), refused.text
            assert not file.exists()  # one bad value saves nothing
        saved = client.post("/settings", data={"csrf": csrf, "silence_threshold": " 5 ", "note_format": "DAP",
                                               "coding_encoder": "on", "window_seconds": "300",
                                               "database_url": "postgresql+psycopg://evil/x",
                                               "note_llm_url": "http://example.org/"})
        assert saved.status_code == 303 and saved.headers["location"] == "/settings?saved=1", saved.text
        assert "Settings saved" in client.get("/settings?saved=1").text
        # only what differs from the default is kept; fields that are not editable here are ignored
        assert json.loads(file.read_text()) == {"note_format": "DAP", "silence_threshold": "5"}
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
        state = client.app.state.web
        assert state.settings.silence_threshold == 5.0 and state.vault.settings.note_format == "dap"
        assert state.settings.database_url == "" and state.settings.note_llm_url == ""
        # applies now: a transcript uploaded after the change is analysed with the saved threshold
        job = client.post(f"/api/clients/{ids['client']}/uploads", content=DEMO.read_bytes(),
                          headers={"x-csrf-token": csrf, "x-upload-name": "demo.vtt",
                                   "content-type": "application/octet-stream"}).json()
        from sessionlens.jobs.runner import wait_for

        done = wait_for(state.vault.engine, job["id"], timeout=120)
        assert done.state == "done", done
        assert "silences of 5.0 s or more" in client.get(f"/sessions/{done.session_id}").text
        with store.transaction(state.vault.engine) as conn:
            changes = [json.loads(e.detail) for e in audit.entries_for(conn, "settings") if e.action == "settings.change"]
    assert changes == [{"changed": ["silence_threshold=5.0", "note_format=dap"]}]
    # after a restart the saved values are read again; set back to its default, a value is in force at once
    again = create_app(settings(), directory)
    assert again.state.web.settings.silence_threshold == 5.0 and again.state.web.settings.note_format == "dap"
    with TestClient(again, base_url=BASE, follow_redirects=False) as client:
        csrf = sign_in(client)
        assert client.post("/settings", data={"csrf": csrf, "silence_threshold": "3.0"}).status_code == 303
        assert client.app.state.web.settings.silence_threshold == 3.0
    assert json.loads(file.read_text()) == {"note_format": "DAP"}


def test_environment_wins_and_is_not_editable(vault, monkeypatch: pytest.MonkeyPatch) -> None:
    directory, _ = vault
    (directory / "settings.json").write_text(json.dumps({"note_detail": "full", "lockout_attempts": "7"}))
    monkeypatch.setenv("SESSIONLENS_NOTE_DETAIL", "concise")
    with TestClient(create_app(settings(), directory), base_url=BASE, follow_redirects=False) as client:
        assert client.app.state.web.settings.lockout_attempts == 7  # saved, read at start
        assert client.app.state.web.settings.note_detail == "concise"  # the environment's (here: settings())
        csrf = sign_in(client)
        page = _text(client.get("/settings"))
        assert "set by <code>SESSIONLENS_NOTE_DETAIL</code>" in page and 'name="note_detail"' not in page
        assert client.post("/settings", data={"csrf": csrf, "note_detail": "full", "lockout_attempts": "9"}) \
            .status_code == 303
        assert client.app.state.web.settings.note_detail == "concise"
        assert client.app.state.web.settings.lockout_attempts == 9
    assert json.loads((directory / "settings.json").read_text()) == {"note_detail": "full", "lockout_attempts": "9"}


def test_an_admin_saves_a_clinician_cannot(vault) -> None:
    directory, _ = vault
    with browser(directory) as owner:
        csrf = sign_in(owner)
        carol = TestClient(owner.app, base_url=BASE, follow_redirects=False)
        token = sign_in(carol, "carol", CAROL_PASSWORD)
        page = _text(carol.get("/settings"))
        assert "silence_threshold" in page and 'name="silence_threshold"' not in page and "Save settings" not in page
        assert carol.post("/settings", data={"csrf": token, "silence_threshold": "9"}).status_code == 403
        assert carol.post("/settings", data={"csrf": token, "silence_threshold": "9" * 500}).status_code == 403
        assert not (directory / "settings.json").exists()
        assert owner.post("/accounts", data={"csrf": csrf, "username": "bob", "role": "admin",
                                             "password": "bob-admin-pass-1"}).status_code == 303
        bob = TestClient(owner.app, base_url=BASE, follow_redirects=False)
        bob_token = sign_in(bob, "bob", "bob-admin-pass-1")
        assert bob.post("/settings", data={"csrf": bob_token, "lockout_attempts": "6"}).status_code == 303
    assert json.loads((directory / "settings.json").read_text()) == {"lockout_attempts": "6"}


@pytest.mark.parametrize("content, why", [("{", "not a readable settings file"),
                                          ('["x"]', "expected an object"),
                                          ('{"database_url": "sqlite:///x"}', "database_url is not a setting"),
                                          ('{"silence_threshold": "0"}', "must be between 0.5 and 600")])
def test_a_damaged_settings_file_is_a_one_line_error(tmp_path, content: str, why: str) -> None:
    (tmp_path / "settings.json").write_text(content)
    with pytest.raises(ConfigError) as caught:
        saved_settings.effective(settings(), tmp_path, env={})
    assert why in str(caught.value) and "\n" not in str(caught.value)
