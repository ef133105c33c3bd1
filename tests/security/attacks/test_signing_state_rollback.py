"""Attack: an insider with database write (the row-MAC key every account holds, no password, no anchor key)
keeps a copy of an account's sealed signing state (root, strict flags; vault/signing.py), lets the account
move on, then puts the old copy back. It is sealed under the same KEK, so it opens (issue 17, item 2).

Before the fix each put-back worked: a supervisor's copy from before "strict shares" accepted an unsigned
share the insider forged; a copy from before the account had a root (its key made before the owner's)
accepted it too; an admin's copy from before its first signed sign-in signed, at its next sign-in, an admin
account the insider had inserted. Now the sealed state carries a version, the anchor (outside the database,
signed with a key no account holds) pins each account's latest (version, hash), and an older state is
refused and audited. Real PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select, update

import pytest

from sessionlens.errors import IntegrityError
from sessionlens.services import accounts as account_svc
from sessionlens.services import clients, consent, sessions, vaults
from sessionlens.services.permissions import share_fields
from sessionlens.vault import signing, store
from sessionlens.vault.ids import new_id, now_iso
from sessionlens.vault.models import accounts, audit_log, shares, signing_keys
from .insider import insert_admin
from tests.server.conftest import DEMO, PASSWORDS, _derive_once, pg_url, server, server_template, settings  # noqa: F401


def _id(server, username: str) -> str:  # type: ignore[no-untyped-def]
    with server.vault.engine.connect() as conn:
        return str(conn.execute(select(accounts.c.id).where(accounts.c.username == username)).scalar_one())


def _copy(server, account_id: str) -> bytes:  # type: ignore[no-untyped-def]
    with server.vault.engine.connect() as conn:
        return bytes(conn.execute(select(signing_keys.c.private_sealed)
                                  .where(signing_keys.c.account_id == account_id)).scalar_one())


def _put_back(server, account_id: str, sealed: bytes) -> None:  # type: ignore[no-untyped-def]
    with store.transaction(server.vault.engine) as conn:
        conn.execute(update(signing_keys).where(signing_keys.c.account_id == account_id)
                     .values(private_sealed=sealed))


def _forge_share(server, session_id: str, grantee: str, granted_by: str) -> None:  # type: ignore[no-untyped-def]
    """An unsigned share row with a valid row MAC: what the row-MAC key allows."""
    values = {"id": new_id("share"), "session_id": session_id, "grantee_id": grantee, "granted_by": granted_by,
              "created_at": now_iso()}
    with store.transaction(server.vault.engine) as conn:
        conn.execute(insert(shares).values(**values, mac=server.vault.row_mac("shares", values["id"],
                                                                                 share_fields(values))))


def _alice_shares_one_of_two(server, tmp_path):  # type: ignore[no-untyped-def]
    server.vault.settings = settings(audit_anchor_dir=str(tmp_path / "anchor"))
    alice = server.ctx["alice"]
    cid = clients.add_client(alice, "Shared Person")["id"]
    consent.record_consent(alice, cid, ("recording", "analysis", "supervision"))
    shared = sessions.import_session(alice, cid, DEMO.read_bytes(), source="demo.vtt")["id"]
    private = sessions.import_session(alice, cid, DEMO.read_bytes(), source="demo.vtt")["id"]
    sessions.share_session(alice, shared, "bob")
    return alice, shared, private


def _refused(server, action: str) -> list[str]:  # type: ignore[no-untyped-def]
    with server.vault.engine.connect() as conn:
        return [str(d) for d in conn.execute(select(audit_log.c.detail).where(audit_log.c.action == action))]


@pytest.mark.postgres
def test_a_supervisors_state_from_before_strict_shares_put_back_is_refused(server, tmp_path) -> None:  # noqa: F811
    alice, shared, private = _alice_shares_one_of_two(server, tmp_path)
    bob_id = _id(server, "bob")
    before = _copy(server, bob_id)  # not yet strict for shares
    bob = server.sign_in("bob")  # every share to him verifies: strict shares from now on
    assert [s["id"] for s in sessions.list_sessions(bob)] == [shared]
    _forge_share(server, private, bob_id, alice.actor.id)
    with pytest.raises(IntegrityError, match="signature"):  # strict: the unsigned share is refused
        sessions.list_sessions(bob)
    _put_back(server, bob_id, before)
    with pytest.raises(IntegrityError, match="older copy"):  # the old code listed the private session here
        sessions.list_sessions(bob)
    with pytest.raises(IntegrityError, match="older copy"):  # and his next sign-in is refused too
        vaults.login(server.vault, "bob", PASSWORDS["bob"])
    assert _refused(server, "refused:role.verify") and _refused(server, "login.failed")


@pytest.mark.postgres
def test_a_state_from_before_the_root_put_back_is_refused(server, server_template, tmp_path) -> None:  # noqa: F811
    """Bob got his key before the owner had one (the release migration): no root, the pin fallback. The owner
    signs in, bob's next sign-in takes the root; the copy from before it would take him back to the fallback."""
    server.vault.settings = settings(audit_anchor_dir=str(tmp_path / "anchor"))
    with store.transaction(server.vault.engine) as conn:  # what migration 0050 leaves
        conn.execute(delete(signing_keys))
        conn.execute(update(accounts).values(role_sig=None, role_signer=None, role_key=None))
    alice, shared, private = _alice_shares_one_of_two(server, tmp_path)  # alice has no key: unsigned
    bob_id = _id(server, "bob")
    server.sign_in("bob")
    rootless = _copy(server, bob_id)
    server.sign_in("alice")  # signs her share
    server.vault.adopt_kek(server_template.kek)
    vaults.sign_in_owner(server.vault)  # signs every role
    bob = server.sign_in("bob")
    with server.vault.engine.connect() as conn:
        assert signing.held(server.vault, conn, bob_id).root is not None
    _forge_share(server, private, bob_id, alice.actor.id)
    _put_back(server, bob_id, rootless)
    with pytest.raises(IntegrityError, match="older copy"):  # the old code listed the private session here
        sessions.list_sessions(bob)


@pytest.mark.postgres
def test_an_admins_state_from_before_its_first_signed_sign_in_signs_nothing(server, server_template, tmp_path) -> None:  # noqa: F811
    """Carol, made admin by the owner, has not signed in since: her sealed state is not strict. The insider
    keeps it, inserts an admin account (unsigned, valid row MAC) after her first sign-in, and puts the copy
    back: at her next sign-in the old code signed the inserted admin as hers."""
    server.vault.settings = settings(audit_anchor_dir=str(tmp_path / "anchor"))
    server.vault.adopt_kek(server_template.kek)
    owner = vaults.sign_in_owner(server.vault)
    account_svc.change_role(owner, "carol", "admin")
    carol_id = _id(server, "carol")
    before = _copy(server, carol_id)
    server.sign_in("carol")
    with server.vault.engine.connect() as conn:
        assert signing.held(server.vault, conn, carol_id).strict
    mallory_id = insert_admin(server.vault)
    _put_back(server, carol_id, before)
    with pytest.raises(IntegrityError, match="older copy"):
        vaults.login(server.vault, "carol", PASSWORDS["carol"])
    with server.vault.engine.connect() as conn:
        mallory = conn.execute(select(accounts).where(accounts.c.id == mallory_id)).one()
        assert mallory.role_sig is None  # the old code: signed by carol, an admin chained to the owner
    assert _refused(server, "login.failed")
