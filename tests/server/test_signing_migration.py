"""Per-account signing on a vault made before it (migration 0050, issue 17 item 2). Real PostgreSQL.

Rows from before are unsigned and accounts have no signing keys: sign-ins keep working on today's anchor
pins; each account gets its pair at its next sign-in; the owner's next passphrase sign-in signs every role;
a clinician's next sign-in signs the shares it granted; and from an account's first sign-in with its own
role signed, it accepts no unsigned row again (a signature stripped later is refused, not a way back).
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

from sessionlens.errors import IntegrityError
from sessionlens.services import accounts as account_svc
from sessionlens.services import analyses, clients, consent, sessions, vaults
from sessionlens.vault import signing, store
from sessionlens.vault.models import accounts, audit_log, shares, signing_keys
from sessionlens.vault.vault import Vault
from tests.server.conftest import DEMO, PASSPHRASE, PASSWORDS, _derive_once, pg_url, server, server_template, settings  # noqa: F401


def _as_before_0050(server) -> None:  # type: ignore[no-untyped-def]
    """What the migration leaves: no signing keys, no signatures."""
    with store.transaction(server.vault.engine) as conn:
        conn.execute(delete(signing_keys))
        conn.execute(update(accounts).values(role_sig=None, role_signer=None, role_key=None))
        conn.execute(update(shares).values(sig=None))


def _actions(server, action: str) -> list[str]:  # type: ignore[no-untyped-def]
    with server.vault.engine.connect() as conn:
        return list(conn.execute(select(audit_log.c.target).where(audit_log.c.action == action)).scalars())


def _owner_signs_in(server, server_template):  # type: ignore[no-untyped-def]  # noqa: F811
    server.vault.adopt_kek(server_template.kek)  # the passphrase holder opens the vault
    return vaults.sign_in_owner(server.vault)


@pytest.mark.postgres
def test_an_old_vault_is_signed_as_its_accounts_sign_in(server, server_template, tmp_path) -> None:  # noqa: F811
    server.vault.settings = settings(audit_anchor_dir=str(tmp_path / "anchor"))
    _as_before_0050(server)
    alice = server.ctx["alice"]
    cid = clients.add_client(alice, "Shared Person")["id"]
    consent.record_consent(alice, cid, ("recording", "analysis", "supervision"))
    shared = sessions.import_session(alice, cid, DEMO.read_bytes(), source="demo.vtt")["id"]
    sessions.share_session(alice, shared, "bob")  # alice has no signing key yet: the share stays unsigned
    bob = server.sign_in("bob")  # unsigned rows: the anchor pins decide, as before; bob gets his key
    assert analyses.read_analysis(bob, shared)["metrics"]
    assert bob.actor.id in _actions(server, "account.signing_key_created")
    server.sign_in("alice")  # her key, and she signs the share she granted
    with server.vault.engine.connect() as conn:
        assert conn.execute(select(shares.c.sig)).scalar() is not None
    assert analyses.read_analysis(bob, shared)["metrics"]  # her key is not certified yet: still the pins
    owner = _owner_signs_in(server, server_template)  # signs every role, binding the keys there are
    with server.vault.engine.connect() as conn:
        unsigned = conn.execute(select(accounts.c.username).where(accounts.c.role_sig.is_(None))).scalars().all()
    assert unsigned == []
    assert owner.actor.id in _actions(server, "signatures.made")
    bob = server.sign_in("bob")  # his own role verifies and every share to him does: strict from now on
    assert analyses.read_analysis(bob, shared)["metrics"]
    with store.transaction(server.vault.engine) as conn:
        assert signing.held(server.vault, conn, bob.actor.id).flags == signing.STRICT_ROLES | signing.STRICT_SHARES
        conn.execute(update(accounts).where(accounts.c.id == bob.actor.id).values(role_sig=None))  # stripped
    with pytest.raises(IntegrityError, match="no signature"):
        analyses.read_analysis(bob, shared)


@pytest.mark.postgres
def test_role_changes_are_signed_by_the_admin_who_made_them(server, server_template, tmp_path) -> None:  # noqa: F811
    server.vault.settings = settings(audit_anchor_dir=str(tmp_path / "anchor"))
    owner = _owner_signs_in(server, server_template)
    account_svc.change_role(owner, "carol", "admin")
    account_svc.disable_account(owner, "bob")
    with server.vault.engine.connect() as conn:
        rows = {r.username: r for r in conn.execute(select(accounts))}
        for name in ("carol", "bob"):
            assert rows[name].role_signer == owner.actor.id
            signing.check_role(server.vault, conn, rows[name].id, owner.actor.id)
    carol = server.sign_in("carol")
    account_svc.disable_account(carol, "bob", disabled=False)  # an admin whose role the owner signed signs too
    with store.transaction(server.vault.engine) as conn:
        assert conn.execute(select(accounts.c.role_signer).where(accounts.c.username == "bob")).scalar() \
            == carol.actor.id
        signing.check_role(server.vault, conn, rows["bob"].id, owner.actor.id)
        conn.execute(update(accounts).where(accounts.c.username == "carol").values(disabled=1))  # not re-signed
        with pytest.raises(IntegrityError, match="badly signed"):
            signing.check_role(server.vault, conn, rows["carol"].id, owner.actor.id)


@pytest.mark.postgres
def test_an_older_copy_of_the_sealed_state_reopens_nothing(server, tmp_path) -> None:  # noqa: F811
    """An insider keeps bob's sealed signing state from before his first sign-in (not yet strict), puts it back
    later and strips his role row's signature (as after rewriting it): the anchor pins a newer state; and where
    no anchor is readable, with a root every row must be signed."""
    server.vault.settings = settings(audit_anchor_dir=str(tmp_path / "anchor"))
    with server.vault.engine.connect() as conn:
        bob_id = conn.execute(select(accounts.c.id).where(accounts.c.username == "bob")).scalar_one()
        before = conn.execute(select(signing_keys.c.private_sealed).where(signing_keys.c.account_id == bob_id)).scalar()
    server.sign_in("bob")
    with store.transaction(server.vault.engine) as conn:
        assert signing.held(server.vault, conn, bob_id).strict
        conn.execute(update(signing_keys).where(signing_keys.c.account_id == bob_id).values(private_sealed=before))
        conn.execute(update(accounts).where(accounts.c.id == bob_id).values(role_sig=None))
    with pytest.raises(IntegrityError, match="older copy"):
        vaults.login(server.vault, "bob", PASSWORDS["bob"])
    server.vault.anchor_path.unlink()
    with pytest.raises(IntegrityError, match="no signature"):
        vaults.login(server.vault, "bob", PASSWORDS["bob"])


@pytest.mark.postgres
def test_the_passphrase_open_records_the_rows_the_migration_may_sign(server, pg_url, tmp_path) -> None:  # noqa: F811
    """Where migrations run (the passphrase holder's open), the record of unsigned rows is taken: a row
    inserted afterwards, before anyone signs in, is not in it."""
    _as_before_0050(server)
    anchored = settings(audit_anchor_dir=str(tmp_path / "anchor"))
    opened = Vault.open(store.make_engine(pg_url), passphrase=PASSPHRASE, settings=anchored)
    try:
        record = opened.read_anchor().record
        with opened.engine.connect() as conn:
            ids = set(conn.execute(select(accounts.c.id)).scalars())
    finally:
        opened.close()
    assert {f"role:{i}" for i in ids} <= set(record) and "taken" in record
