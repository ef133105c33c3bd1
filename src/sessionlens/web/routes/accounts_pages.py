"""Page: accounts (admins and the vault owner): add, disable/enable, unlock, reset a password, change a role.
No clinical content."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ...errors import InputError
from ...services import accounts
from ...services.context import Ctx
from ...services.roles import Role
from ..deps import checked_form, ctx, see_other
from ..render import render

router = APIRouter(include_in_schema=False)
ROLES = [r.value for r in Role]


@router.get("/accounts")
def accounts_page(request: Request, c: Ctx = Depends(ctx)) -> Response:
    # list_accounts checks ACCOUNT_MANAGE (403 for clinicians and supervisors) and audits account.list
    return render(request, "accounts.html.j2", {"accounts": accounts.list_accounts(c), "roles": ROLES})


def _role(value: str) -> Role:
    if value not in ROLES:
        raise InputError(f"role must be one of: {', '.join(ROLES)}")
    return Role(value)


@router.post("/accounts")
async def account_add(request: Request) -> Response:
    form = await checked_form(request)
    c = ctx(request)
    await run_in_threadpool(accounts.add_account, c, form.get("username", ""), _role(form.get("role", "")),
                            form.get("password", ""))
    return see_other("/accounts")


ACTIONS = {"disable": lambda c, u, f: accounts.disable_account(c, u, True),
           "enable": lambda c, u, f: accounts.disable_account(c, u, False),
           "unlock": lambda c, u, f: accounts.unlock_account(c, u),
           "password": lambda c, u, f: accounts.set_password(c, u, f.get("password", "")),
           "role": lambda c, u, f: accounts.change_role(c, u, _role(f.get("role", "")))}


@router.post("/accounts/{username}/{action}")
async def account_change(request: Request, username: str, action: str) -> Response:
    form = await checked_form(request)
    change = ACTIONS.get(action)
    if change is None:
        raise InputError(f"unknown account action (one of: {', '.join(ACTIONS)})")
    if len(username) > 64:
        raise InputError("a username has at most 64 characters")
    await run_in_threadpool(change, ctx(request), username, form)
    return see_other("/accounts")
