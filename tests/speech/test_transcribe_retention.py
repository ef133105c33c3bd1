"""Retention applies to audio transcribed in the vault: after transcription the audio goes with a receipt, or is kept."""

from __future__ import annotations

# ruff: noqa: F811  (pytest fixtures imported from tests/vault/helpers are parameters here)
import io
import json

import pytest
from sqlalchemy import select

from sessionlens.cli import run
from sessionlens.errors import NotFoundError
from sessionlens.services import media_sessions
from sessionlens.services.analyses import read_transcript
from sessionlens.services.transcription import transcribe_session
from sessionlens.vault.models import audit_log

from ..vault.helpers import BACKENDS, PASSPHRASE, _derive_once, db_url, template, world  # noqa: F401
from .conftest import DIALOGUE
from .test_voice_enroll import _audio_session, two_voice_clip  # noqa: F401  (fixture)


def _retain_audio(world, monkeypatch, rule: str) -> None:
    monkeypatch.setattr(world.vault, "settings", world.vault.settings.__class__(
        {**dict(world.vault.settings), "retention_audio": rule}, env={}))


def test_audio_deleted_with_a_receipt_once_transcribed(world, two_voice_clip, monkeypatch):
    _retain_audio(world, monkeypatch, "after_transcription")
    session = _audio_session(world, two_voice_clip)
    transcribe_session(world.alice, session)
    assert read_transcript(world.alice, session).utterances
    with pytest.raises(NotFoundError):
        media_sessions.read_audio(world.alice, session)
    with world.engine.connect() as conn:
        reasons = conn.execute(select(audit_log.c.detail).where(audit_log.c.action == "delete.blob")).scalars().all()
    assert any("retention:audio_after_transcription" in r and session in r for r in reasons)


def test_audio_kept_when_retention_says_keep(world, two_voice_clip, monkeypatch):
    _retain_audio(world, monkeypatch, "keep")
    session = _audio_session(world, two_voice_clip)
    transcribe_session(world.alice, session)
    data, _ = media_sessions.read_audio(world.alice, session)
    assert data == two_voice_clip


@pytest.fixture
def cli_client(tmp_path, monkeypatch, capsys) -> str:
    """A fresh local vault made through the CLI, with one consenting client; its id."""
    monkeypatch.setenv("SESSIONLENS_HOME", str(tmp_path / "vault"))
    monkeypatch.setenv("SESSIONLENS_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("SESSIONLENS_USER", raising=False)
    monkeypatch.delenv("SESSIONLENS_DATABASE_URL", raising=False)
    assert run(["init", "--json"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("Jordan Example\n"))
    capsys.readouterr()
    assert run(["client", "add", "--json"]) == 0
    client: str = json.loads(capsys.readouterr().out)["id"]
    assert run(["consent", "record", client, "--json"]) == 0
    capsys.readouterr()
    return client


def test_cli_session_add_recording(cli_client, capsys):
    assert run(["session", "add", str(DIALOGUE), "--client", cli_client, "--json"]) == 0
    added = json.loads(capsys.readouterr().out)
    assert added["source_format"] == "audio" and added["utterances"] > 0
    assert run(["session", "show", added["id"], "--json"]) == 0
    kinds = {r["kind"] for r in json.loads(capsys.readouterr().out)["records"]}
    assert {"transcript", "analysis", "audio"} <= kinds  # default retention: kept until the note is signed


def test_cli_session_add_unusable_recording_leaves_nothing(cli_client, tmp_path, capsys):
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt garbage")
    assert run(["session", "add", str(bad), "--client", cli_client]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sessionlens: error:") and err.count("\n") == 1
    assert run(["session", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
