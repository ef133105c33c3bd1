"""`serve --database`, `worker` configuration errors, `recover-keys`, and the PHI-free log vocabulary."""

from __future__ import annotations

import io
import json
import logging
import os
import stat

import pytest

from sessionlens.cli import run
from sessionlens.cli.web_cmds import server_settings
from sessionlens import logs
from sessionlens.jobs.worker_identity import KEY_FILE, hold, load_or_create
from sessionlens.services.keyring import load_secret
from sessionlens.vault import store


def test_serve_takes_the_database_url() -> None:
    s = server_settings(None, None, "postgresql://postgres@127.0.0.1:5432/test")
    assert s.database_url == "postgresql://postgres@127.0.0.1:5432/test"
    engine = store.make_engine(s.database_url)  # plain postgresql:// means the psycopg 3 driver shipped
    assert engine.dialect.driver == "psycopg"
    engine.dispose()


def test_worker_refuses_to_start_half_configured(tmp_path, monkeypatch, capsys) -> None:
    for k in list(os.environ):
        if k.startswith("SESSIONLENS_"):
            monkeypatch.delenv(k)
    assert run(["worker"]) == 2
    assert "SESSIONLENS_DATABASE_URL" in capsys.readouterr().err
    monkeypatch.setenv("SESSIONLENS_DATABASE_URL", "postgresql://postgres@127.0.0.1/test")
    state = tmp_path / "worker-state"
    key = load_or_create(state)  # what the worker makes at its first start: its own key pair, 0600
    assert stat.S_IMODE((state / KEY_FILE).stat().st_mode) == 0o600 and len(load_secret(state / KEY_FILE)) == 32
    assert load_or_create(state) == key  # a restart keeps the key, so its id and approval
    held = hold(state)  # another worker is running on this state directory: a second one refuses to share it
    assert run(["worker", "--state-dir", str(state)]) == 2
    assert "in use by another running worker" in capsys.readouterr().err
    held.close()
    os.chmod(state / KEY_FILE, 0o644)
    assert run(["worker", "--state-dir", str(state)]) == 2
    assert "chmod 600" in capsys.readouterr().err


def test_log_lines_are_json_with_a_fixed_vocabulary() -> None:
    stream = io.StringIO()
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    logs.configure(logging.INFO, stream)
    try:
        logs.event("job.stage_done", job="j-abcdefgh", stage="analyze", seconds=1.5,
                   text="Jane said she feels hopeless", error="I feel hopeless")
        logging.getLogger("celery.app.trace").info("Task %s succeeded: %r", "x", {"transcript": "Jane Example"})
        try:
            raise ValueError("Jane Example's file")
        except ValueError:
            logging.getLogger("sessionlens.web").exception("failed on %s", "/clients/c-abcdefgh")
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines[0] == {**lines[0], "event": "job.stage_done", "job": "j-abcdefgh", "stage": "analyze",
                        "seconds": 1.5, "error": "<redacted>"}
    assert "text" not in lines[0]
    assert lines[1]["event"] == "Task %s succeeded: %r" and lines[2]["error"] == "ValueError"
    assert lines[1]["args"] == ["<redacted>", "<dict>"] and lines[2]["args"] == ["/clients/c-abcdefgh"]
    assert "Jane" not in stream.getvalue() and "hopeless" not in stream.getvalue()


@pytest.mark.postgres
def test_recover_keys_command(server, server_template, monkeypatch, tmp_path) -> None:
    from .conftest import PASSPHRASE

    for k in list(os.environ):
        if k.startswith("SESSIONLENS_"):
            monkeypatch.delenv(k)
    monkeypatch.setenv("SESSIONLENS_DATABASE_URL", server.url)
    monkeypatch.setenv("SESSIONLENS_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("SESSIONLENS_RECOVERY_KEY", server_template.recovery)
    monkeypatch.setenv("SESSIONLENS_NEW_PASSWORD", "carol-recovered-1")
    monkeypatch.setenv("SESSIONLENS_HOME", str(tmp_path))
    assert run(["recover-keys", "carol", "--json"]) == 0
    from sessionlens.vault import tenancy

    from .conftest import settings

    tenancy.open_with_account(store.make_engine(server.url), settings(), "carol", "carol-recovered-1").close()
