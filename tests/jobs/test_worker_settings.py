"""Issue 19: a Celery worker runs each job with the settings saved from the browser (settings.json in its data
directory), as the web app and the CLI do; the environment still wins; a value saved later reaches the next job."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from sessionlens.config import Settings
from sessionlens.jobs import celery_app, runner


class _Task:
    def retry(self, countdown: float) -> Exception:
        return RuntimeError("no retry expected")


def _run(monkeypatch: pytest.MonkeyPatch) -> Settings:
    """One job through the worker's task function; returns the settings run_once was given."""
    seen: dict[str, Any] = {}

    def fake_run_once(engine: Any, settings: Settings, keyring: Any, job_id: str, worker: str) -> tuple[str, float]:
        seen["settings"] = settings
        return "done", 0.0

    monkeypatch.setattr(celery_app, "_worker_state", lambda: (None, Settings(), None, "w1"))
    monkeypatch.setattr(runner, "run_once", fake_run_once)
    assert celery_app._run_job(_Task(), "j-abc") == "done"
    return seen["settings"]


def _save(home: Path, **values: str) -> None:
    (home / "settings.json").write_text(json.dumps(values), encoding="utf-8")


def test_a_saved_setting_reaches_a_worker_run_job(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SESSIONLENS_HOME", str(tmp_path))
    for name in ("SESSIONLENS_SPEECH_MODEL", "SESSIONLENS_SPEECH_RATE_WPM", "SESSIONLENS_RETENTION_AUDIO"):
        monkeypatch.delenv(name, raising=False)
    default = _run(monkeypatch)
    _save(tmp_path, speech_rate_wpm="222", retention_audio="keep")  # saved while the worker runs
    saved = _run(monkeypatch)
    assert saved.speech_rate_wpm == 222 and saved.retention_audio == "keep"
    assert default.speech_rate_wpm != 222
    monkeypatch.setenv("SESSIONLENS_SPEECH_RATE_WPM", "150")  # the environment wins, as for the web app
    assert _run(monkeypatch).speech_rate_wpm == 150


def test_a_damaged_settings_file_leaves_the_environments_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("SESSIONLENS_HOME", str(tmp_path))
    (tmp_path / "settings.json").write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        settings = _run(monkeypatch)
    assert settings.speech_rate_wpm == Settings().speech_rate_wpm
    assert "not json" not in caplog.text
