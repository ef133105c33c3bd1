"""The canary: a unique token in a client's name and transcript must never reach the disk in plaintext.

The whole journey runs through the real CLI in subprocesses — init, client add, consent, import +
analysis, show, list, export (to standard output and to a file the clinician names, outside the
vault), backup, audit verify — then every byte under the data directory and the temp directory
is scanned, with a reader holding the SQLite WAL open so the write-ahead log is scanned too.
Exports are deliberate plaintext: the test checks they do contain the token, and that they
landed only where asked.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

RUNNER = Path(__file__).with_name("cli_runner.py")
PASSPHRASE = "canary test passphrase"


def _vtt(token: str) -> str:
    lines = ["WEBVTT", ""]
    turns = [("Therapist", "What brings you here today?"),
             ("Client", f"My neighbour {token} keeps calling about the fence."),
             ("Therapist", f"So {token} has been on your mind a lot."),
             ("Client", "Yes, every single evening, and I cannot sleep."),
             ("Therapist", "That sounds exhausting. What have you tried so far?"),
             ("Client", "Mostly ignoring it, which does not work.")]
    for i, (who, text) in enumerate(turns):
        lines += [f"00:00:{i * 5:02d}.000 --> 00:00:{i * 5 + 4:02d}.000", f"<v {who}>{text}", ""]
    return "\n".join(lines)


def _scan(root: Path, needles: list[bytes]) -> list[str]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            hits += [f"{path} contains {n!r}" for n in needles if n in data]
    return hits


def _sweep_system_temp(since: float, needles: list[bytes], skip: Path) -> list[str]:
    """Files written under the system temp dir during the test (some library might ignore TMPDIR)."""
    hits = []
    for root, dirs, files in os.walk(tempfile.gettempdir()):
        dirs[:] = [d for d in dirs if Path(root, d) != skip]
        for name in files:
            path = Path(root, name)
            try:
                st = path.stat()
                if st.st_mtime < since or st.st_size > 100 * 1024 * 1024 or not path.is_file():
                    continue
                data = path.read_bytes()
            except OSError:
                continue
            hits += [str(path) for n in needles if n in data]
    return hits


@pytest.mark.slow
def test_no_plaintext_phi_anywhere_on_disk(tmp_path):
    token = "CANARY" + secrets.token_hex(8).upper()
    data, tmp, src, out = (tmp_path / d for d in ("data", "tmp", "src", "out"))
    for d in (tmp, src, out):
        d.mkdir()
    transcript = src / "session.vtt"
    transcript.write_text(_vtt(token), encoding="utf-8")
    netlog = tmp_path / "net.log"
    env = {**os.environ, "SESSIONLENS_HOME": str(data), "SESSIONLENS_PASSPHRASE": PASSPHRASE, "TMPDIR": str(tmp),
           "SL_NET_LOG": str(netlog)}
    started = time.time()

    def cli(*args: str, stdin: str = "") -> str:
        r = subprocess.run([sys.executable, str(RUNNER), *args], input=stdin, capture_output=True, text=True,
                           env=env, timeout=120)
        assert r.returncode == 0, f"{args}: {r.stderr}"
        assert token not in r.stderr
        return r.stdout

    cli("init", "--user", "alice", "--json")
    # Hold a read snapshot so the WAL cannot be checkpointed away before the scan.
    reader = sqlite3.connect(data / "vault.db")
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM audit_log").fetchone()
    client = json.loads(cli("client", "add", "--json", stdin=f"Ms {token} Example\n"))["id"]
    cli("consent", "record", client, "--json")
    session = json.loads(cli("session", "add", str(transcript), "--client", client, "--json"))["id"]
    assert token in cli("client", "show", client)  # the clinician sees it on screen
    cli("session", "show", session, "--json")
    cli("session", "list", "--json")
    assert token in cli("session", "export", session)  # to standard output
    cli("session", "export", session, "--what", "transcript", "--output", str(out / "export.json"), "--json")
    cli("backup", str(data / "backup.slbk"), "--json")
    assert json.loads(cli("audit", "verify", "--json"))["ok"]

    wal = data / "vault.db-wal"
    assert wal.exists() and wal.stat().st_size > 0, "the WAL should be present for the scan"
    needles = [token.encode(), token.lower().encode(), token.encode("utf-16-le")]
    assert _scan(data, needles) == []
    assert _scan(tmp, needles) == []
    assert _sweep_system_temp(started, needles, skip=tmp_path) == []
    assert token.encode() in (out / "export.json").read_bytes()  # the export went exactly where asked
    assert (out / "export.json").stat().st_mode & 0o777 == 0o600
    reader.rollback()
    reader.close()
    assert not netlog.exists(), netlog.read_text()  # not one socket event in any of those runs
