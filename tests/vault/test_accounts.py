"""Accounts: Argon2id hashes, lock-out, disabled accounts, no default accounts, audited sign-ins."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sessionlens.errors import AuthError, InputError, PermissionDeniedError
from sessionlens.services import accounts as account_svc
from sessionlens.services import vaults
from sessionlens.vault import store
from sessionlens.vault.models import accounts, audit_log
from sessionlens.vault.vault import Vault

from .helpers import BACKENDS, PASSPHRASE, PASSWORDS, make_settings


def test_a_new_vault_has_no_accounts_at_all(tmp_path):
    vault, _ = Vault.create(store.make_engine(store.sqlite_url(tmp_path)), PASSPHRASE, make_settings())
    with vault.engine.connect() as conn:
        assert conn.execute(select(accounts)).all() == []
    vault.close()


def test_init_creates_only_the_named_owner(tmp_path):
    created = vaults.init_vault(PASSPHRASE, "alice", data_dir=tmp_path / "v", settings=make_settings())
    with created.ctx.vault.engine.connect() as conn:
        rows = conn.execute(select(accounts.c.username, accounts.c.password_hash, accounts.c.is_owner)).all()
    assert rows == [("alice", None, 1)]
    assert (tmp_path / "v").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "v" / "vault.db").stat().st_mode & 0o777 == 0o600
    created.ctx.vault.close()


@BACKENDS
def test_passwords_are_argon2id_hashes(world):
    with world.engine.connect() as conn:
        hashes = conn.execute(select(accounts.c.password_hash).where(accounts.c.password_hash.is_not(None))).scalars()
        for h in hashes:
            assert h.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
            assert not any(p in h for p in PASSWORDS.values())


@BACKENDS
def test_login_locks_out_after_repeated_failures_and_admin_unlocks(world):
    limit = world.vault.settings.lockout_attempts
    for _ in range(limit):
        with pytest.raises(AuthError, match="wrong username or password"):
            vaults.login(world.vault, "bob", "not-bobs-password")
    with pytest.raises(AuthError, match="locked"):
        vaults.login(world.vault, "bob", PASSWORDS["bob"])
    account_svc.unlock_account(world.dave, "bob")
    assert vaults.login(world.vault, "bob", PASSWORDS["bob"]).actor.username == "bob"
    with world.engine.connect() as conn:
        actions = conn.execute(select(audit_log.c.action).order_by(audit_log.c.seq)).scalars().all()
    assert actions.count("login.failed") == limit + 1 and actions[-1] == "login"


@BACKENDS
def test_unknown_and_disabled_accounts_are_refused(world):
    with pytest.raises(AuthError):
        vaults.login(world.vault, "nobody", "whatever-password")
    account_svc.disable_account(world.dave, "carol")
    with pytest.raises(AuthError, match="disabled"):
        vaults.login(world.vault, "carol", PASSWORDS["carol"])
    account_svc.disable_account(world.dave, "carol", False)
    assert vaults.login(world.vault, "carol", PASSWORDS["carol"]).actor.username == "carol"


@BACKENDS
def test_the_owner_signs_in_with_the_passphrase_not_a_password(world):
    with pytest.raises(AuthError, match="passphrase"):
        vaults.login(world.vault, "alice", "anything-at-all")
    with pytest.raises(InputError):
        account_svc.disable_account(world.dave, "alice")


@BACKENDS
def test_account_management_is_for_admins_and_the_owner(world):
    account_svc.add_account(world.dave, "erin", "supervisor", "erin-password-1")
    account_svc.add_account(world.alice, "frank", "clinician", "frank-password-1")
    for who in ("carol", "bob"):
        with pytest.raises(PermissionDeniedError):
            account_svc.add_account(world.ctx(who), "mallory", "admin", "mallory-password")
    with pytest.raises(InputError):
        account_svc.add_account(world.dave, "erin", "supervisor", "erin-password-1")
    with pytest.raises(InputError, match="at least"):
        account_svc.add_account(world.dave, "gina", "supervisor", "short")
    with pytest.raises(InputError):
        account_svc.add_account(world.dave, "Bad Name!", "supervisor", "long-enough-pass")
    account_svc.set_password(world.bob, "bob", "a-new-bob-password")
    assert vaults.login(world.vault, "bob", "a-new-bob-password")


def test_password_hashes_cost_what_the_kek_wrap_costs(world):
    """Issue 17, finding 10: a database copy is guessed against the cheaper of the two Argon2 checks of a password;
    the hash follows the kdf_* settings, and an older, cheaper hash is brought up to cost at the next sign-in."""
    from argon2 import PasswordHasher

    from sessionlens.vault import accounts as vault_accounts

    costly = make_settings(kdf_memory_mib=96, kdf_time_cost=4, kdf_parallelism=2)
    assert "$m=98304,t=4,p=2$" in vault_accounts.hash_password("a long password 1", costly)
    with world.vault.transaction() as conn:  # carol's hash from before: 64 MiB; the vault now asks for 96
        conn.execute(accounts.update().where(accounts.c.username == "carol").values(
            password_hash=PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4).hash(PASSWORDS["carol"])))
    world.vault.settings = costly
    with world.vault.transaction() as conn:
        row = conn.execute(select(accounts).where(accounts.c.username == "carol")).one()
        vault_accounts._save(world.vault, conn, row)  # re-MAC the edited row, as the server would have written it
    vaults.login(world.vault, "carol", PASSWORDS["carol"])
    with world.engine.connect() as conn:
        stored = conn.execute(select(accounts.c.password_hash).where(accounts.c.username == "carol")).scalar_one()
    assert "$m=98304,t=4,p=2$" in stored
