"""Supervision packets on a real vault: de-identified, reviewed before export, PDF, sealed for one
supervisor account; refusals for the bad-input cases leak nothing."""

from __future__ import annotations

import pytest

from sessionlens.errors import ConsentError, InputError, IntegrityError, NotFoundError, PermissionDeniedError
from sessionlens.services import accounts, clients, sessions
from sessionlens.services import reflection as rf
from sessionlens.services import supervision as sv
from sessionlens.supervision import sealed
from sessionlens.vault.accounts import Role

from ..vault.helpers import client_with_session


@pytest.fixture
def packet(world, deid_model):
    client, session = client_with_session(world, name="Daniel Quarrington")
    rf.record_measure(world.alice, client, "phq9", [2] * 9)
    built = sv.build_packet(world.alice, client, [(session, "u50-u70"), (session, None)],
                            ["How do I stay with Daniel Quarrington's grief?"])
    return client, session, built["id"]


def test_packet_is_deidentified_and_needs_review_before_export(world, packet):
    _client, _session, pid = packet
    p = sv.show_packet(world.alice, pid)
    text = repr(p)
    assert "Quarrington" not in text and "Daniel" not in text and "Helen" not in text
    assert p["questions"] == ["How do I stay with [Client]'s grief?"]
    assert p["status"] == "draft" and "No automatic de-identification is complete" in p["notice"]
    assert [s["scope"] for s in p["sessions"]] == ["excerpt u50-u70", "whole session"]
    assert p["symptom_measures"][0]["week"] == 0  # weeks, not dates
    with pytest.raises(InputError):
        sv.export_packet_pdf(world.alice, pid)
    sv.edit_packet(world.alice, pid, "1.2", "[redacted by clinician]")
    sv.edit_packet(world.alice, pid, "1.3", None)
    sv.approve_packet(world.alice, pid)
    assert sv.export_packet_pdf(world.alice, pid).startswith(b"%PDF")
    sv.edit_packet(world.alice, pid, "1.1", "changed again")
    assert sv.show_packet(world.alice, pid)["status"] == "draft"
    with pytest.raises(InputError):
        sv.edit_packet(world.alice, pid, "9.9", "x")


def test_sealed_file_opens_for_its_supervisor_only(world, packet):
    client, _session, pid = packet
    sv.approve_packet(world.alice, pid)
    data = sv.seal_packet(world.alice, pid, "bob")
    assert b"Quarrington" not in data and b"[Client]" not in data  # encrypted
    assert sv.open_packet_file(world.bob, data)["id"] == pid
    accounts.add_account(world.alice, "erin", Role.SUPERVISOR, "erin-password-12")
    from sessionlens.services import vaults

    erin = vaults.login(world.vault, "erin", "erin-password-12")  # her own keys: she acts only once they are unlocked
    with pytest.raises(PermissionDeniedError, match="addressed to another supervisor"):
        sv.open_packet_file(erin, data)
    with pytest.raises(PermissionDeniedError):
        sv.read_addressed_packet(erin, pid)
    header, body = sealed.read_header(data)
    forged = sealed.MAGIC + _with_header(dict(header, recipient=erin.actor.id)) + body
    with pytest.raises(IntegrityError):
        sv.open_packet_file(erin, forged)
    with pytest.raises(InputError):
        sv.open_packet_file(world.bob, b"not a packet")
    with pytest.raises(InputError):
        sv.seal_packet(world.alice, pid, "carol")  # not a supervisor
    clients.shred_client(world.alice, client)
    with pytest.raises(NotFoundError):
        sv.open_packet_file(world.bob, data)


def _with_header(header: dict) -> bytes:
    import json

    head = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    return len(head).to_bytes(4, "big") + head


def test_bad_input_refused(world, deid_model):
    client, session = client_with_session(world)
    with pytest.raises(InputError):
        sv.build_packet(world.alice, client, [])
    with pytest.raises(InputError):
        sv.build_packet(world.alice, client, [(session, "u999-u1000")])
    no_sup, s2 = client_with_session(world, scopes=("recording", "analysis"))
    with pytest.raises(ConsentError):
        sv.build_packet(world.alice, no_sup, [(s2, None)])
    with pytest.raises(NotFoundError):
        sv.build_packet(world.alice, client, [(s2, None)])  # another client's session
    assert sv.list_packets(world.alice) == []


def test_cli_packet_flow(world, packet, tmp_path, monkeypatch, capsys):
    """build/show/approve/export/seal through the CLI against a real vault directory."""
    from sessionlens.cli import run
    from sessionlens.services import consent, vaults

    from ..web.helpers import DEMO, PASSPHRASE, settings

    directory = tmp_path / "vault"
    ctx = vaults.init_vault(PASSPHRASE, "alice", data_dir=directory, settings=settings()).ctx
    accounts.add_account(ctx, "bob", Role.SUPERVISOR, "bob-password-123")
    c = clients.add_client(ctx, "Zed Example")["id"]
    consent.record_consent(ctx, c, ["recording", "analysis", "supervision"])
    s = sessions.import_session(ctx, c, DEMO.read_bytes(), source="demo.vtt")["id"]
    ctx.vault.close()
    monkeypatch.setenv("SESSIONLENS_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("SESSIONLENS_KDF_MEMORY_MIB", "64")
    d = ["--data-dir", str(directory)]
    assert run(["packet", "build", c, "--session", f"{s}:u1-u9", "--json", *d]) == 0
    pid = __import__("json").loads(capsys.readouterr().out)["id"]
    assert run(["packet", "show", pid, *d]) == 0 and "[Client]" in capsys.readouterr().out
    assert run(["packet", "export", pid, "-o", str(tmp_path / "p.pdf"), *d]) == 2  # not reviewed
    assert run(["packet", "approve", pid, *d]) == 0
    assert run(["packet", "export", pid, "-o", str(tmp_path / "p.pdf"), *d]) == 0
    assert run(["packet", "seal", pid, "--to", "bob", "-o", str(tmp_path / "p.slpacket"), *d]) == 0
    monkeypatch.setenv("SESSIONLENS_PASSWORD", "bob-password-123")
    capsys.readouterr()
    assert run(["packet", "open", str(tmp_path / "p.slpacket"), "--user", "bob", *d]) == 0
    assert "No automatic de-identification is complete" in capsys.readouterr().out
    assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")
