"""API: account management for admins and the vault owner (no clinical content): list accounts, change a role.

The same use cases as the accounts page (``services.accounts``): ACCOUNT_MANAGE is checked there (403 for
clinicians and supervisors), an unknown account is a 404, a refused change (own role, the owner, a
clinician who still has clients) a one-line 400.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool

from ...payloads.services_accounts import AccountShown
from ...services import accounts
from ...services.context import Ctx
from ...services.roles import Role
from ..deps import ctx

router = APIRouter(prefix="/api/accounts", tags=["accounts"])
Username = Path(min_length=2, max_length=64, pattern=r"^[a-z][a-z0-9._-]{1,63}$")


class RoleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Role


@router.get("", response_model=list[AccountShown], summary="Accounts (admins and the vault owner)")
def list_accounts(c: Ctx = Depends(ctx)) -> list[AccountShown]:
    return accounts.list_accounts(c)


@router.post("/{username}/role", response_model=AccountShown, summary="Change another account's role (admins)")
async def change_role(body: RoleIn, username: str = Username, c: Ctx = Depends(ctx)) -> AccountShown:
    return await run_in_threadpool(accounts.change_role, c, username, body.role)
