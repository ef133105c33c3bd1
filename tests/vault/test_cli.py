"""The vault CLI: --json everywhere, and bad input on every path is one line, exit 2, no traceback."""

from __future__ import annotations

import io
import json
import sys

import pytest

from sessionlens.cli import run

from .helpers import DEMO

PASS = "cli test passphrase"


class Cli:
    def __init__(self, capsys, monkeypatch):
        self.capsys, self.mp = capsys, monkeypatch

    def __call__(self, *args: str, stdin: str = "") -> tuple[int, str, str]:
        self.mp.setattr(sys, "stdin", io.StringIO(stdin))
        self.capsys.readouterr()
        rc = run(list(args))
        out, err = self.capsys.readouterr()
        return rc, out, err

    def ok(self, *args: str, stdin: str = "") -> dict | list:
        rc, out, err = self(*args, "--json", stdin=stdin)
        assert rc == 0, err
        return json.loads(out)

    def fails(self, *args: str, code: int = 2, stdin: str = "", match: str = "") -> str:
        rc, out, err = self(*args, stdin=stdin)
        assert rc == code, (rc, out, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("sessionlens: error:"), err
        assert "Traceback" not in err and match in err, err
        return err


@pytest.fixture
def cli(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SESSIONLENS_HOME", str(tmp_path / "vault"))
    monkeypatch.setenv("SESSIONLENS_PASSPHRASE", PASS)
    for var in ("SESSIONLENS_USER", "SESSIONLENS_PASSWORD", "SESSIONLENS_DATABASE_URL"):
        monkeypatch.delenv(var, raising=False)
    c = Cli(capsys, monkeypatch)
    created = c.ok("init", "--user", "alice")
    assert created["recovery_key"] and created["owner"] == "alice"
    assert len(created["escrow_fingerprint"]) == 64  # shown at init, pinned outside the database (issue 17)
    return c


@pytest.fixture
def session(cli):
    client = cli.ok("client", "add", stdin="Pat Example\n")["id"]
    cli.ok("consent", "record", client, "--scope", "recording", "--scope", "analysis", "--scope", "supervision")
    return client, cli.ok("session", "add", str(DEMO), "--client", client)["id"]


def test_the_clinicians_journey_in_json(cli, session, tmp_path):
    client, sid = session
    assert [c["id"] for c in cli.ok("client", "list")] == [client]
    assert cli.ok("client", "show", client)["name"] == "Pat Example"
    assert cli.ok("consent", "show", client)["may_process"] is True
    assert [s["id"] for s in cli.ok("session", "list")] == [sid]
    assert {r["kind"] for r in cli.ok("session", "show", sid)["records"]} == {"analysis", "original", "transcript"}
    assert cli.ok("session", "transcript", sid)["utterances"]
    rc, out, _ = cli("session", "export", sid)
    assert rc == 0 and json.loads(out)["metrics"]
    assert cli.ok("session", "export", sid, "--output", str(tmp_path / "e.json"))["bytes"] > 0
    assert cli.ok("audit", "verify")["ok"]
    head = tmp_path / "head.json"
    cli.ok("audit", "head", "--output", str(head))
    assert cli.ok("audit", "verify", "--head", str(head))["ok"]
    assert cli.ok("backup", str(tmp_path / "b.slbk"))["verified"]
    assert cli.ok("restore", str(tmp_path / "b.slbk"), "--data-dir", str(tmp_path / "restored"))["verified"]
    assert cli.ok("retention", "apply")["deleted"] == []


def test_accounts_and_sharing(cli, session, monkeypatch):
    _, sid = session
    monkeypatch.setenv("SESSIONLENS_NEW_PASSWORD", "bob-password-123")
    assert cli.ok("account", "add", "bob", "--role", "supervisor")["role"] == "supervisor"
    assert {a["username"] for a in cli.ok("account", "list")} == {"alice", "bob"}
    cli.ok("session", "share", sid, "--with", "bob")
    monkeypatch.setenv("SESSIONLENS_PASSWORD", "bob-password-123")
    assert [s["id"] for s in cli.ok("session", "list", "--user", "bob")] == [sid]
    cli.fails("client", "list", "--user", "bob", match="may not")
    monkeypatch.setenv("SESSIONLENS_PASSWORD", "wrong-password-x")
    cli.fails("session", "list", "--user", "bob", match="wrong username or password")
    cli.ok("account", "unlock", "bob")
    cli.ok("account", "disable", "bob")
    cli.ok("account", "enable", "bob")
    cli.ok("session", "unshare", sid, "--with", "bob")


def test_revoke_and_shred(cli, session):
    client, sid = session
    kept = cli.ok("consent", "revoke", client, "--keep")
    assert kept["deletion_offered"] and not kept["deleted"]
    cli.fails("session", "add", str(DEMO), "--client", client, match="consent")
    cli.fails("client", "shred", client, match="--yes")
    assert cli.ok("client", "shred", client, "--yes")["keys"] == 1
    cli.fails("session", "show", sid, match="not found")


def test_bad_input_on_every_path(cli, session, tmp_path, monkeypatch):
    client, sid = session
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    cli.fails("init", "--user", "alice", match="already exists")
    cli.fails("session", "add", str(tmp_path / "missing.vtt"), "--client", client, match="not found")
    cli.fails("session", "add", str(binary), "--client", client)
    cli.fails("session", "add", str(DEMO), "--client", "c-nosuchid", match="not found")
    cli.fails("session", "show", "s-nosuchid", match="not found")
    cli.fails("client", "show", "c-nosuchid", match="not found")
    cli.fails("consent", "record", client, "--date", "31/01/2025", match="--date")
    cli.fails("consent", "record", client, "--scope", "marketing", match="scopes")
    cli.fails("session", "export", sid, "--what", "everything", match="can export")
    cli.fails("session", "export", sid, "--output", str(tmp_path / "vault" / "leak.json"), match="refusing")
    (tmp_path / "exists.json").write_text("{}")
    cli.fails("session", "export", sid, "--output", str(tmp_path / "exists.json"), match="exists")
    cli.fails("restore", str(binary), "--data-dir", str(tmp_path / "r"), match="not a sessionlens backup")
    cli.fails("client", "add", stdin="", match="standard input")
    cli.fails("audit", "verify", "--head", str(binary), match="chain head")
    cli.fails("session", "share", sid, "--with", "nobody", match="no supervisor")
    monkeypatch.setenv("SESSIONLENS_NEW_PASSWORD", "short")
    cli.fails("account", "add", "erin", "--role", "supervisor", match="at least")
    cli.fails("account", "add", "erin", "--role", "overlord")
    monkeypatch.setenv("SESSIONLENS_PASSPHRASE", "the wrong passphrase")
    cli.fails("client", "list", match="wrong passphrase")
    monkeypatch.delenv("SESSIONLENS_PASSPHRASE")
    cli.fails("client", "list", match="SESSIONLENS_PASSPHRASE")
    monkeypatch.setenv("SESSIONLENS_PASSPHRASE", PASS)
    cli.fails("client", "list", "--data-dir", str(tmp_path / "empty"), match="no vault")
    assert not (tmp_path / "empty").exists()


def test_a_broken_audit_chain_exits_3_naming_the_entry(cli, session, tmp_path):
    import sqlite3

    with sqlite3.connect(tmp_path / "vault" / "vault.db") as conn:
        conn.execute("UPDATE audit_log SET action = 'nothing.happened' WHERE seq = 4")
    rc, out, _ = cli("audit", "verify", "--json")
    assert rc == 3 and json.loads(out)["first_bad"] == 4
    rc, out, _ = cli("audit", "verify")
    assert rc == 3 and "#4" in out


def test_a_flipped_bit_is_an_integrity_error_naming_the_record(cli, session, tmp_path):
    import sqlite3

    _, sid = session
    with sqlite3.connect(tmp_path / "vault" / "vault.db") as conn:
        blob_id, content = conn.execute("SELECT id, content FROM blobs WHERE kind = 'analysis'").fetchone()
        flipped = bytearray(content)
        flipped[len(flipped) // 2] ^= 0x10  # chunked blobs (issue 19) keep a short manifest here
        conn.execute("UPDATE blobs SET content = ? WHERE id = ?", (bytes(flipped), blob_id))
    cli.fails("session", "export", sid, code=3, match=blob_id)
    rc, out, _ = cli("session", "export", sid, "--what", "original")
    assert rc == 0 and out.startswith("WEBVTT")  # the other records stay readable


def test_passphrase_change(cli, monkeypatch):
    monkeypatch.setenv("SESSIONLENS_NEW_PASSPHRASE", "a different passphrase")
    assert cli.ok("passphrase")["changed"] == "passphrase"
    cli.fails("client", "list", match="wrong passphrase")
    monkeypatch.setenv("SESSIONLENS_PASSPHRASE", "a different passphrase")
    assert cli.ok("client", "list") == []
    monkeypatch.setenv("SESSIONLENS_NEW_PASSPHRASE", "short")
    cli.fails("passphrase", match="at least 12")
