"""First run in the browser: choose the vault passphrase, keep the recovery key, land signed in.

Only for the single-clinician vault (SQLite in the data directory). A practice server's vault is
made by its owner with `sessionlens init --role admin` on the server; its /setup page says so.
The vault is made by the same service as `sessionlens init` (services.vaults.init_vault), under a
lock so that two posts (a second tab) make one vault and a clear refusal. The passphrase travels
only in POST bodies; the recovery key is in one response and nowhere else.

After the vault is made, the owner's web session exists but its cookie is handed over only when
"I have stored it" is confirmed: until then the browser holds it in a separate set-up cookie that
no other page accepts.
"""

from __future__ import annotations

import re
import secrets
import threading

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from ...errors import InputError
from ...services import vaults
from .. import headers as H
from ..bodies import CsrfError, check_token, read_form
from ..deps import needs_setup, see_other, web_state
from ..middleware import cookies
from ..render import render
from ..state import WebState
from .api_out import StrengthOut

router = APIRouter(include_in_schema=False)

SETUP_COOKIE = "__Host-sl_setup"  # the new owner's session token until the recovery key is confirmed
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # what secrets.token_urlsafe(32) makes
CREATING = threading.Lock()  # one creation at a time in this process; the database refuses a second row too
EXISTS = "A vault already exists here, so it cannot be set up again. Sign in with its passphrase."
CONFIRM = "Tick \u201cI have stored it\u201d once the recovery key is kept somewhere safe, then continue."
SERVER = ("This is a practice server (PostgreSQL). Its vault is created on the server with "
          "`sessionlens init --role admin`, and the admin then adds each clinician's account.")


def _cookie(request: Request, name: str) -> str | None:
    return cookies({"cookie": request.headers.get("cookie", "")}).get(name)


def _page(request: Request, mode: str, message: str = "", status: int = 200) -> Response:
    """The set-up page: ``form`` (with the browser's double-submit token, so that tabs share it),
    ``exists`` or ``server``."""
    state = web_state(request)
    kept = _cookie(request, H.PRE_COOKIE) or ""
    token = (kept if TOKEN.fullmatch(kept) else secrets.token_urlsafe(32)) if mode == "form" else ""
    response = render(request, "setup.html.j2", {
        "mode": mode, "message": message, "pre": token, "minimum": state.settings.min_passphrase_length,
        "exists": EXISTS, "server": SERVER}, status=status)
    if token:
        response.headers.append("set-cookie", H.cookie(H.PRE_COOKIE, token, secure=True, max_age=1800))
    return response


def _mode(state: WebState) -> str:
    if not needs_setup(state):
        return "exists"
    return "server" if state.server_mode else "form"


@router.get("/setup")
async def setup_page(request: Request) -> Response:
    mode = await run_in_threadpool(_mode, web_state(request))
    return _page(request, mode, EXISTS if mode == "exists" else "", 409 if mode == "exists" else 200)


async def _checked(request: Request) -> dict[str, str]:
    """The posted set-up form after its double-submit token was compared with the cookie's."""
    form = await read_form(request)
    check_token(_cookie(request, H.PRE_COOKIE), form.get("pre"))
    return form


@router.post("/setup/strength", response_model=StrengthOut, responses={409: {"description": "a vault exists"}})
async def strength(request: Request) -> Response:
    """The rule's verdict and a strength estimate, asked for while the passphrase is typed."""
    form = await _checked(request)
    state = web_state(request)
    if await run_in_threadpool(_mode, state) != "form":
        return JSONResponse({"detail": EXISTS}, status_code=409)
    s = await run_in_threadpool(vaults.passphrase_strength, form.get("passphrase", ""), state.settings,
                                context=(vaults.default_owner(),))
    return JSONResponse({"acceptable": s.acceptable, "score": s.score, "label": s.label, "advice": s.advice,
                         "length": s.length, "minimum": s.minimum})


@router.post("/setup")
async def setup(request: Request) -> Response:
    form = await _checked(request)  # the browser's token stays after set-up: a second tab gets the 409 below
    state = web_state(request)
    mode = await run_in_threadpool(_mode, state)
    if mode != "form":  # a second tab, or a practice server
        return _page(request, mode, EXISTS if mode == "exists" else SERVER, 409 if mode == "exists" else 403)
    passphrase, confirm = form.get("passphrase", ""), form.get("confirm", "")
    if passphrase != confirm:
        return _page(request, "form", "The two entries differ. Type the same passphrase twice.", 400)
    try:
        ticket = await run_in_threadpool(_create, state, passphrase)
    except vaults.VaultExists:
        return _page(request, "exists", EXISTS, 409)
    except InputError as exc:  # the passphrase rule's reason; never the passphrase itself
        return _page(request, "form", f"{str(exc)[:1].upper()}{str(exc)[1:]}.", 400)
    token, csrf, recovery_key = ticket
    response = render(request, "setup_recovery.html.j2", {"recovery_key": recovery_key, "ticket_csrf": csrf})
    response.headers.append("set-cookie", H.cookie(SETUP_COOKIE, token, secure=True, max_age=3600))
    return response


def _create(state: WebState, passphrase: str) -> tuple[str, str, str]:
    """Make the vault (the `init` service) and sign its owner in; (session token, its CSRF, recovery key)."""
    with CREATING:
        if not needs_setup(state):
            raise vaults.VaultExists(EXISTS)
        created = vaults.init_vault(passphrase, vaults.default_owner(), data_dir=state.data_dir,
                                    settings=state.settings)
        created.ctx.vault.close()
    ctx = state.sign_in("", passphrase)  # opens the vault the way every sign-in does
    token, session = state.open_session(ctx)
    return token, session.csrf, created.recovery_key


@router.post("/setup/stored")
async def stored(request: Request) -> Response:
    """"I have stored it": the set-up cookie becomes the session cookie; on to the (empty) client list."""
    form = await read_form(request)
    token = _cookie(request, SETUP_COOKIE)
    session = web_state(request).sessions.get(token)
    if session is None:  # no set-up under way in this browser (or it idled out): refused like a missing token
        raise CsrfError("This set-up has ended or was finished in another tab: sign in with your passphrase.")
    check_token(session.csrf, form.get("csrf"))
    if form.get("stored") != "on":  # the key is not shown again: only the confirmation is asked for
        return render(request, "setup_recovery.html.j2", {"recovery_key": None, "ticket_csrf": session.csrf,
                                                          "message": CONFIRM}, status=400)
    response = see_other("/clients")
    response.headers.append("set-cookie", H.cookie(H.SESSION_COOKIE, token or "", secure=True))
    response.headers.append("set-cookie", H.cookie(SETUP_COOKIE, "", secure=True, max_age=0))
    return response
