"""Use cases: account management (admins and the vault owner only)."""

from __future__ import annotations

import hashlib
from sqlalchemy import Connection, func, select

from ..errors import InputError, IntegrityError, NotFoundError
from ..payloads.services_accounts import AccountShown
from ..vault import accounts, signing, tenancy
from ..vault.roles import Role
from ..vault.models import accounts as accounts_table
from ..vault.vault import Vault
from ..vault.models import clients
from .context import Ctx
from .permissions import Action, Refused, require, unit_of_work


def _shown(account: accounts.Account) -> AccountShown:
    return account.public()


def add_account(ctx: Ctx, username: str, role: Role | str, password: str) -> AccountShown:
    with unit_of_work(ctx) as conn:
        require(ctx, Action.ACCOUNT_MANAGE, username)
        account = accounts.create(ctx.vault, conn, username, Role(role), password)
        tenancy.create_account_keys(ctx.vault, conn, account.id, password)  # its own key hierarchy
        _sign(ctx, conn, account.id)
        ctx.vault.audit(conn, actor=ctx.who, action="account.create", target=account.id,
                        detail={"role": account.role.value})
    return _shown(account)


def _sign(ctx: Ctx, conn: Connection, account_id: str) -> None:
    """The admin who set a role signs it (vault/signing.py). One without a signing key held here leaves the
    row unsigned, which accounts that check signatures refuse: an unsigned change is not trusted."""
    if not signing.sign_role(ctx.vault, conn, ctx.actor.id, account_id):
        signing.clear_role_signature(conn, account_id)


def list_accounts(ctx: Ctx) -> list[AccountShown]:
    with unit_of_work(ctx) as conn:
        require(ctx, Action.ACCOUNT_MANAGE)
        found = accounts.all_accounts(ctx.vault, conn)
        ctx.vault.audit(conn, actor=ctx.who, action="account.list", target="-", detail={"count": len(found)})
    return [_shown(a) for a in found]


def unlock_account(ctx: Ctx, username: str) -> AccountShown:
    with unit_of_work(ctx) as conn:
        require(ctx, Action.ACCOUNT_MANAGE, username)
        account = accounts.unlock(ctx.vault, conn, username)
        ctx.vault.audit(conn, actor=ctx.who, action="account.unlock", target=account.id)
    return _shown(account)


def disable_account(ctx: Ctx, username: str, disabled: bool = True) -> AccountShown:
    with unit_of_work(ctx) as conn:
        require(ctx, Action.ACCOUNT_MANAGE, username)
        account = accounts.set_disabled(ctx.vault, conn, username, disabled)
        _sign(ctx, conn, account.id)
        ctx.vault.audit(conn, actor=ctx.who, action="account.disable" if disabled else "account.enable",
                        target=account.id)
    return _shown(account)


def change_role(ctx: Ctx, username: str, role: Role | str) -> AccountShown:
    """Admins change another account's role. A clinician who still has clients keeps the role: their
    clients would be left with no one allowed to see them."""
    new = Role(role)
    with unit_of_work(ctx) as conn:
        require(ctx, Action.ACCOUNT_MANAGE, username)
        if username == ctx.who:
            raise InputError("an account cannot change its own role; ask another admin")
        before = accounts.get(ctx.vault, conn, username)
        if before.is_owner:
            raise InputError("the vault owner's role is set when the vault is made")
        if before.role is Role.CLINICIAN and new is not Role.CLINICIAN:
            owned = conn.execute(select(func.count()).select_from(clients)
                                 .where(clients.c.owner_id == before.id)).scalar_one()
            if owned:
                raise InputError(f"{username} still has {owned} client(s): a clinician with clients keeps the "
                                 "clinician role")
        account = accounts.set_role(ctx.vault, conn, username, new)
        _sign(ctx, conn, account.id)
        ctx.vault.audit(conn, actor=ctx.who, action="account.role", target=account.id,
                        detail={"from": before.role.value, "to": new.value})
    return _shown(account)


def set_password(ctx: Ctx, username: str, password: str) -> None:
    """Admins reset anyone's password; every account may change its own."""
    with unit_of_work(ctx) as conn:
        if username != ctx.who:
            require(ctx, Action.ACCOUNT_MANAGE, username)
        accounts.set_password(ctx.vault, conn, username, password)
        target = accounts.get(ctx.vault, conn, username)
        if username == ctx.who and tenancy.has_keys(conn, target.id):
            tenancy.rotate_account_keys(ctx.vault, conn, target.id, password)  # a fresh KEK, DEKs rewrapped
        ctx.vault.audit(conn, actor=ctx.who, action="account.password", target=accounts.get(ctx.vault, conn,
                                                                                             username).id)


def supervisor_named(ctx: Ctx, conn: Connection, username: str) -> accounts.Account:
    """The supervisor account ``username`` (to share with or seal for); InputError for any other."""
    try:
        grantee = accounts.get(ctx.vault, conn, username)
    except NotFoundError:
        raise InputError(f"no supervisor account named {username}") from None
    if grantee.role is not Role.SUPERVISOR:
        raise InputError(f"{username} is not a supervisor account")
    try:  # signed so by an admin, as the actor trusts it
        signing.check_role(ctx.vault, conn, grantee.id, ctx.actor.id)
    except IntegrityError as exc:
        raise Refused(exc, "role.verify", grantee.id) from None
    return grantee


def standing(vault: Vault, account_id: str) -> str | None:
    """A fingerprint of what the account may do now (role, disabled, password): a web session compares it on
    every request, so disabling, demoting or resetting an account closes its open sessions at once.
    None when the account is gone or disabled, or its row fails its MAC."""
    try:
        with vault.transaction() as conn:
            account = accounts.get_by_id(vault, conn, account_id)
            secret = conn.execute(select(accounts_table.c.password_hash)
                                  .where(accounts_table.c.id == account_id)).scalar()
    except Exception:  # noqa: BLE001 - missing, altered or unreadable: no standing at all
        return None
    if account.disabled:
        return None
    parts = (account.role.value, str(account.is_owner), secret or "")
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()
