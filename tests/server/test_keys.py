"""Per-clinician key hierarchies on the practice server (PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sessionlens.errors import AuthError, IntegrityError
from sessionlens.services import accounts as account_service
from sessionlens.services import clients, consent, key_recovery, sessions, vaults
from sessionlens.vault import keys, store, tenancy
from sessionlens.vault.models import account_keys, client_keys
from sessionlens.vault.vault import KeysLockedError, Vault

from .conftest import DEMO, PASSPHRASE, PASSWORDS, settings

pytestmark = pytest.mark.postgres


def _client_with_session(ctx, name="Jane Example"):  # type: ignore[no-untyped-def]
    cid = clients.add_client(ctx, name)["id"]
    consent.record_consent(ctx, cid)
    sid = sessions.import_session(ctx, cid, DEMO.read_bytes(), source="demo.vtt")["id"]
    return cid, sid


def test_a_clinicians_data_is_under_their_own_key(server) -> None:
    alice = server.ctx["alice"]
    cid, sid = _client_with_session(alice)
    with server.vault.transaction() as conn:
        row = conn.execute(select(client_keys).where(client_keys.c.client_id == cid)).one()
    assert row.wrapped_by == alice.actor.id

    # The owner's passphrase (the admin) opens the vault but not alice's clients.
    admin_vault = Vault.open(store.make_engine(server.url), passphrase=PASSPHRASE, settings=settings())
    with admin_vault.transaction() as conn, pytest.raises(KeysLockedError):
        admin_vault.client_key(conn, row.key_id, row.version)
    # Nor does it help to try the vault KEK on the wrapped DEK directly.
    with pytest.raises(IntegrityError):
        keys.unwrap_dek(admin_vault.kek, row.wrapped, key_id=row.key_id, version=row.version, client_id=cid,
                        kek_id=f"akek:{alice.actor.id}")
    admin_vault.close()

    # Carol, signed in with her own keys, holds no key that opens alice's client.
    carol_vault = tenancy.open_with_account(store.make_engine(server.url), settings(), "carol", PASSWORDS["carol"])
    carol_kek = carol_vault.account_kek(carol_vault.held_accounts()[0])
    with pytest.raises(IntegrityError):
        keys.unwrap_dek(carol_kek, row.wrapped, key_id=row.key_id, version=row.version, client_id=cid,
                        kek_id=f"akek:{alice.actor.id}")
    carol_vault.close()

    # Alice signs out: her key leaves memory and her records stop opening, even in the server process.
    server.vault.drop_account_kek(alice.actor.id)
    with server.vault.transaction() as conn, pytest.raises(KeysLockedError):
        server.vault.client_key(conn, row.key_id, row.version)


def test_wrong_password_opens_nothing(server) -> None:
    with pytest.raises(AuthError):
        tenancy.open_with_account(store.make_engine(server.url), settings(), "carol", "not-carols-password")
    with pytest.raises(AuthError):
        tenancy.open_with_account(store.make_engine(server.url), settings(), "nobody-here", "whatever-password")


def test_changing_ones_password_makes_a_new_kek(server) -> None:
    alice = server.ctx["alice"]
    _, sid = _client_with_session(alice)
    with server.vault.transaction() as conn:
        before = conn.execute(select(account_keys.c.kek_by_password)
                              .where(account_keys.c.account_id == alice.actor.id)).scalar_one()
    old_kek = server.vault.account_kek(alice.actor.id)
    account_service.set_password(alice, "alice", "alice-new-password")
    assert server.vault.account_kek(alice.actor.id) != old_kek  # whoever knew the first password learns nothing
    assert sessions.show_session(alice, sid)["id"] == sid
    fresh = tenancy.open_with_account(store.make_engine(server.url), settings(), "alice", "alice-new-password")
    ctx = vaults.login(fresh, "alice", "alice-new-password")
    assert sessions.show_session(ctx, sid)["id"] == sid
    fresh.close()
    with pytest.raises(AuthError):
        tenancy.open_with_account(store.make_engine(server.url), settings(), "alice", PASSWORDS["alice"])
    with server.vault.transaction() as conn:
        assert conn.execute(select(account_keys.c.kek_by_password)
                            .where(account_keys.c.account_id == alice.actor.id)).scalar_one() != before


def test_admin_reset_needs_the_recovery_key_to_reach_the_data(server, server_template) -> None:
    alice = server.ctx["alice"]
    _, sid = _client_with_session(alice)
    admin_vault = Vault.open(store.make_engine(server.url), passphrase=PASSPHRASE, settings=settings())
    admin = vaults.sign_in_owner(admin_vault)
    account_service.set_password(admin, "alice", "reset-by-the-admin")
    with pytest.raises(AuthError, match="recover"):
        vaults.login(admin_vault, "alice", "reset-by-the-admin")
    with pytest.raises(AuthError):
        key_recovery.recover_account_keys(admin, "alice", keys.new_recovery_key(), "reset-by-the-admin")
    key_recovery.recover_account_keys(admin, "alice", server_template.recovery, "reset-by-the-admin")
    ctx = vaults.login(admin_vault, "alice", "reset-by-the-admin")
    assert sessions.show_session(ctx, sid)["id"] == sid
    from sessionlens.vault.audit import load

    with admin_vault.transaction() as conn:
        actions = [e.action for e in load(conn)]
    assert "account.keys_recovered" in actions
    admin_vault.close()
