"""Attack: during the signing migration (rows from before migration 0050 are unsigned; each is signed at the
first sign-in of the account that may sign it), an insider rewrites or inserts rows so that the migration
signs them (issue 17, item 2). Real PostgreSQL.

Before the fix the migration signed whatever today's checks accepted: an admin account inserted with the
row-MAC key (pinned as first seen), a supervisor rewritten to admin and re-pinned in the anchor, a share
forged to another session were all signed at the owner's (or the clinician's) next sign-in. Now the first
sign-in after the release records, in the anchor (outside the database), a digest of every row still
unsigned; the migration signs only rows that still match it, and refuses (audits) the others.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import delete, insert, select, update

from sessionlens.services import clients, consent, sessions, vaults
from sessionlens.services.permissions import share_fields
from sessionlens.vault import accounts as vault_accounts
from sessionlens.vault import anchor, store
from sessionlens.vault.ids import new_id, now_iso
from sessionlens.vault.models import accounts, audit_log, shares, signing_keys
from .insider import insert_admin
from tests.server.conftest import DEMO, _derive_once, pg_url, server, server_template, settings  # noqa: F401


def _released(server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """What migration 0050 leaves (no signing keys, nothing signed); bob signs in first after the release."""
    server.vault.settings = settings(audit_anchor_dir=str(tmp_path / "anchor"))
    with store.transaction(server.vault.engine) as conn:
        conn.execute(delete(signing_keys))
        conn.execute(update(accounts).values(role_sig=None, role_signer=None, role_key=None))
        conn.execute(update(shares).values(sig=None))


def _row(server, username: str):  # type: ignore[no-untyped-def]
    with server.vault.engine.connect() as conn:
        return conn.execute(select(accounts).where(accounts.c.username == username)).one()


def _refused(server) -> list[str]:  # type: ignore[no-untyped-def]
    with server.vault.engine.connect() as conn:
        return list(conn.execute(select(audit_log.c.target)
                                 .where(audit_log.c.action == "refused:signatures.migration")).scalars())


def _owner_signs_in(server, server_template) -> None:  # type: ignore[no-untyped-def]
    server.vault.adopt_kek(server_template.kek)
    vaults.sign_in_owner(server.vault)


@pytest.mark.postgres
def test_an_admin_inserted_after_the_release_is_not_signed(server, server_template, tmp_path) -> None:  # noqa: F811
    _released(server, tmp_path)
    server.sign_in("bob")
    mallory_id = insert_admin(server.vault)
    _owner_signs_in(server, server_template)
    assert _row(server, "alice").role_sig is not None  # rows as they were are signed
    assert _row(server, "mallory").role_sig is None  # the old code signed it as the owner's
    assert mallory_id in _refused(server)


@pytest.mark.postgres
def test_a_role_rewritten_and_repinned_after_the_release_is_not_signed(server, server_template, tmp_path) -> None:  # noqa: F811
    """The insider also writes the anchor's role pin (the anchor key), but not the record taken before."""
    _released(server, tmp_path)
    server.sign_in("bob")
    bob = _row(server, "bob")
    with store.transaction(server.vault.engine) as conn:
        fields = {**vault_accounts._fields(bob), "role": "admin"}
        conn.execute(update(accounts).where(accounts.c.id == bob.id)
                     .values(role="admin", mac=server.vault.row_mac("accounts", bob.id, fields)))
    path = server.vault.anchor_path
    with anchor.locked(path):
        current = anchor.read(path)
        anchor.write(path, replace(current, roles={**current.roles, bob.id: "admin"}))
    _owner_signs_in(server, server_template)
    assert _row(server, "bob").role_sig is None  # the old code signed bob as an admin
    assert bob.id in _refused(server)


@pytest.mark.postgres
def test_a_share_forged_after_the_release_is_not_signed(server, tmp_path) -> None:  # noqa: F811
    _released(server, tmp_path)
    alice = server.ctx["alice"]  # keys unlocked before the release: no signing key yet
    cid = clients.add_client(alice, "Shared Person")["id"]
    consent.record_consent(alice, cid, ("recording", "analysis", "supervision"))
    shared = sessions.import_session(alice, cid, DEMO.read_bytes(), source="demo.vtt")["id"]
    private = sessions.import_session(alice, cid, DEMO.read_bytes(), source="demo.vtt")["id"]
    sessions.share_session(alice, shared, "bob")  # unsigned: alice has no signing key yet
    server.sign_in("bob")  # the record is taken
    forged = {"id": new_id("share"), "session_id": private, "grantee_id": _row(server, "bob").id,
              "granted_by": alice.actor.id, "created_at": now_iso()}
    with store.transaction(server.vault.engine) as conn:
        conn.execute(insert(shares).values(**forged, mac=server.vault.row_mac("shares", forged["id"],
                                                                                 share_fields(forged))))
    server.sign_in("alice")  # her first signing sign-in
    with server.vault.engine.connect() as conn:
        sigs = {r.session_id: r.sig for r in conn.execute(select(shares.c.session_id, shares.c.sig))}
    assert sigs[shared] is not None
    assert sigs[private] is None  # the old code signed the forged share as hers
    assert forged["id"] in _refused(server)
