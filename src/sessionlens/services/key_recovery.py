"""Use case: break-glass recovery of an account's keys with the vault recovery key (owner / admin only).

For a forgotten password or a clinician who left: the account's KEK is opened through the escrow key,
which only the vault recovery key (kept offline by the practice) unwraps, and wrapped under a new password.
Audited. The clinician should change the password at the next sign-in (which makes a fresh KEK).
"""

from __future__ import annotations

from ..payloads.services_audit import KeysRecovered
from ..vault import accounts, tenancy
from .context import Ctx
from .permissions import Action, require, unit_of_work


def recover_account_keys(ctx: Ctx, username: str, recovery_key: str, new_password: str) -> KeysRecovered:
    with unit_of_work(ctx) as conn:
        require(ctx, Action.ACCOUNT_MANAGE, username)
        account = accounts.get(ctx.vault, conn, username)
        accounts.set_password(ctx.vault, conn, username, new_password)
        tenancy.recover_account_keys(ctx.vault, conn, account.id, recovery_key, new_password)
        ctx.vault.audit(conn, actor=ctx.who, action="account.keys_recovered", target=account.id)
    return {"account": account.id, "recovered": True}
