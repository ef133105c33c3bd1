"""Attack: an insider with database write AND write access to the anchor directory (so able to re-sign the
anchor with its key) but no account's password nor the vault passphrase promotes an account, or widens a
share, by rewriting rows with the row-MAC key every account holds and re-pinning the anchor to match
(issue 17, item 2). Real PostgreSQL.

Before per-account signing both worked: the row MAC and the anchor's pins were all that stood in the way.
Now a role assignment is signed by the admin (or owner) who set it and a share by the clinician who granted
it, with Ed25519 keys sealed under their own KEKs; each account checks the chain of signatures up to the
owner's key, which it keeps sealed under its own KEK, so re-pinning the anchor changes nothing it trusts.
"""

from __future__ import annotations

import importlib
from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select, update

from sessionlens.errors import IntegrityError, NotFoundError
from sessionlens.services import accounts as account_svc
from sessionlens.services import analyses, clients, consent, sessions, vaults
from sessionlens.services.permissions import share_fields
from sessionlens.vault import accounts as vault_accounts
from sessionlens.vault import anchor, store
from sessionlens.vault.models import accounts, audit_log, shares
from tests.server.conftest import DEMO, PASSWORDS, _derive_once, pg_url, server, server_template, settings  # noqa: F401


def _repin(vault, **changes) -> None:  # type: ignore[no-untyped-def]
    """What write access to the anchor directory allows: a new anchor, signed with the key found there."""
    path = vault.anchor_path
    with anchor.locked(path):
        anchor.write(path, replace(anchor.read(path), **changes))


def _forge_signature(vault, conn, account_id: str, signer_id: str) -> None:  # type: ignore[no-untyped-def]
    """The attacker's own Ed25519 key put in place of the signer's, pinned, and used to sign the row."""
    try:
        signing = importlib.import_module("sessionlens.vault.signing")
    except ModuleNotFoundError:
        return  # the tree before per-account signing: there is no signature to forge
    mine = Ed25519PrivateKey.generate()
    signing.replace_public_key(conn, signer_id, signing.raw_public(mine))  # any insider can write the row
    fingerprint = anchor.fingerprint(signing.raw_public(mine))
    for subject, key in ((signer_id, fingerprint), (account_id, None)):  # the signer's own row too, self-signed
        row = conn.execute(select(accounts).where(accounts.c.id == subject)).one()
        key = row.role_key or "" if key is None else key
        conn.execute(update(accounts).where(accounts.c.id == subject).values(
            role_sig=mine.sign(signing.role_bytes(vault.vault_id, row, signer_id, key)), role_signer=signer_id,
            role_key=key))


def _promote(server, username: str, role: str) -> str:  # type: ignore[no-untyped-def]
    vault = server.vault
    with store.transaction(vault.engine) as conn:
        row = conn.execute(select(accounts).where(accounts.c.username == username)).one()
        owner = conn.execute(select(accounts.c.id).where(accounts.c.is_owner == 1)).scalar_one()
        fields = {**{k: row._mapping[k] for k in vault_accounts._MAC_FIELDS}, "role": role}
        conn.execute(update(accounts).where(accounts.c.id == row.id)
                     .values(role=role, mac=vault.row_mac("accounts", row.id, fields)))
        _forge_signature(vault, conn, row.id, owner)
        signers = _signer_pins(conn)
    current = vault.read_anchor()
    _repin(vault, roles={**current.roles, row.id: role},
           **({"signers": {**current.signers, **signers}} if signers is not None else {}))
    return str(row.id)


def _signer_pins(conn):  # type: ignore[no-untyped-def]
    try:
        return importlib.import_module("sessionlens.vault.signing").public_pins(conn)
    except ModuleNotFoundError:
        return None


def _refusals(server, action_part: str) -> list[str]:  # type: ignore[no-untyped-def]
    with server.vault.engine.connect() as conn:
        rows = conn.execute(select(audit_log.c.action, audit_log.c.detail)).all()
    return [r.action for r in rows if action_part in (r.action + str(r.detail))]


@pytest.mark.postgres
def test_a_supervisor_promoted_to_admin_in_the_database_and_the_anchor_is_refused(server, tmp_path) -> None:  # noqa: F811
    server.vault.settings = settings(audit_anchor_dir=str(tmp_path / "anchor"))
    bob = server.sign_in("bob")  # signs in as a supervisor; the first audited commit anchors (pins as first seen)
    _promote(server, "bob", "admin")
    with pytest.raises(IntegrityError, match="signature"):  # a session opened before the rewrite is refused
        account_svc.list_accounts(replace(bob, actor=replace(bob.actor, role=vault_accounts.Role.ADMIN)))
    with pytest.raises(IntegrityError, match="signature"):  # and so is the next sign-in
        vaults.login(server.vault, "bob", PASSWORDS["bob"])
    with pytest.raises(IntegrityError, match="signature"):  # its keys left memory: nothing it does counts
        account_svc.list_accounts(replace(bob, actor=replace(bob.actor, role=vault_accounts.Role.ADMIN)))
    assert _refusals(server, "signature")


def _alice_with_a_client(server, tmp_path):  # type: ignore[no-untyped-def]
    """Alice, signed in, with a client who consented to supervision; the anchor in this test's directory."""
    server.vault.settings = settings(audit_anchor_dir=str(tmp_path / "anchor"))
    alice = server.ctx["alice"]
    cid = clients.add_client(alice, "Shared Person")["id"]
    consent.record_consent(alice, cid, ("recording", "analysis", "supervision"))
    return alice, cid


@pytest.mark.postgres
def test_a_share_moved_to_another_session_in_the_database_is_refused(server, tmp_path) -> None:  # noqa: F811
    alice, cid = _alice_with_a_client(server, tmp_path)
    shared = sessions.import_session(alice, cid, DEMO.read_bytes(), source="demo.vtt")["id"]
    private = sessions.import_session(alice, cid, DEMO.read_bytes(), source="demo.vtt")["id"]
    sessions.share_session(alice, shared, "bob")
    bob = server.sign_in("bob")
    assert analyses.read_analysis(bob, shared)["metrics"]
    with store.transaction(server.vault.engine) as conn:  # the share now names the session never shared
        row = conn.execute(select(shares)).one()
        values = {**share_fields(row), "session_id": private}
        conn.execute(update(shares).where(shares.c.id == row.id)
                     .values(session_id=private, mac=server.vault.row_mac("shares", row.id, values)))
    with pytest.raises((IntegrityError, NotFoundError)):
        analyses.read_analysis(bob, private)
    with pytest.raises(IntegrityError, match="signature"):  # nor does his list name it
        sessions.list_sessions(bob)
    assert _refusals(server, "signature")


@pytest.mark.postgres
def test_a_clinician_made_a_supervisor_in_the_database_and_the_anchor_receives_no_share(server, tmp_path) -> None:  # noqa: F811
    alice, cid = _alice_with_a_client(server, tmp_path)
    session = sessions.import_session(alice, cid, DEMO.read_bytes(), source="demo.vtt")["id"]
    _promote(server, "carol", "supervisor")  # carol, a clinician, would then receive alice's shares
    with pytest.raises(IntegrityError, match="signature"):
        sessions.share_session(alice, session, "carol")
    with server.vault.engine.connect() as conn:
        assert conn.execute(select(shares)).first() is None
