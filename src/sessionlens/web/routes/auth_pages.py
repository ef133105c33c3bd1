"""Sign in (unlocks the vault), sign out (ends the session on the server)."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ...errors import AuthError, NotFoundError
from .. import headers as H
from ..bodies import check_token, read_form
from ..deps import needs_setup, see_other, web_state
from ..middleware import cookies
from ..render import render

router = APIRouter(include_in_schema=False)


def client_address(request: Request) -> str:
    """The client's address for throttling: behind the loopback proxy, the address the proxy appended."""
    peer = request.client.host if request.client else "-"
    forwarded = request.headers.get("x-forwarded-for", "")
    if forwarded and peer in ("127.0.0.1", "::1"):  # only the proxy on this machine is trusted to say
        return forwarded.rsplit(",", 1)[-1].strip()[:64] or peer
    return peer


def _secure(request: Request) -> bool:
    # __Host- cookies must be Secure; browsers accept Secure cookies from loopback over plain HTTP.
    return True


@router.get("/")
def home(request: Request) -> Response:
    if getattr(request.state, "web_session", None):
        return see_other("/clients")
    return see_other("/setup" if needs_setup(web_state(request)) else "/signin")


@router.get("/signin")
def signin_page(request: Request, ended: str = "") -> Response:
    if needs_setup(web_state(request)):  # first run: nothing to unlock yet
        return see_other("/setup")
    return _form(request, "Your session has ended; please sign in again." if ended else "", 200)


def _form(request: Request, message: str, status: int) -> Response:
    token = secrets.token_urlsafe(32)
    # Whether the vault is open is not shown: it would tell a stranger when someone is signed in.
    response = render(request, "signin.html.j2", {"pre": token, "message": message}, status=status)
    response.headers.append("set-cookie", H.cookie(H.PRE_COOKIE, token, secure=_secure(request), max_age=1800))
    return response


@router.post("/signin")
async def signin(request: Request) -> Response:
    form = await read_form(request)
    check_token(cookies({"cookie": request.headers.get("cookie", "")}).get(H.PRE_COOKIE), form.get("pre"))
    state = web_state(request)
    try:
        ctx = await run_in_threadpool(state.sign_in, form.get("username", "").strip(), form.get("secret", ""),
                                      client_address(request))
    except (AuthError, NotFoundError) as exc:
        if isinstance(exc, NotFoundError):
            return _form(request, "The vault has not been created yet: set it up at /setup (or run "
                                  "`sessionlens init`).", 401)
        text = str(exc)
        return _form(request, text[:1].upper() + text[1:] + ".", exc.http_status)
    old = cookies({"cookie": request.headers.get("cookie", "")}).get(H.SESSION_COOKIE)
    token, _ = await run_in_threadpool(state.open_session, ctx)
    state.sessions.drop(old)  # a fresh id at every sign-in: no session fixation
    response = see_other("/clients")
    response.headers.append("set-cookie", H.cookie(H.SESSION_COOKIE, token, secure=_secure(request)))
    response.headers.append("set-cookie", H.cookie(H.PRE_COOKIE, "", secure=_secure(request), max_age=0))
    return response


@router.post("/signout")
async def signout(request: Request) -> Response:
    form = await read_form(request)
    session = getattr(request.state, "web_session", None)
    if session is not None:
        check_token(session.csrf, form.get("csrf"))
        web_state(request).sessions.drop(cookies({"cookie": request.headers.get("cookie", "")})
                                         .get(H.SESSION_COOKIE))
    response = see_other("/signin")
    response.headers.append("set-cookie", H.cookie(H.SESSION_COOKIE, "", secure=_secure(request), max_age=0))
    return response
