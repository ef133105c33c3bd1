"""Request helpers for routes: who is signed in, the server state, a CSRF-checked form."""

from __future__ import annotations

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from ..errors import AuthError, SessionlensError
from ..services import vaults
from ..services.context import Ctx
from .bodies import check_token, read_form
from .state import WebState
from .websessions import WebSession


class SignInRequired(AuthError):
    """A page was asked for without a live session: send the browser to the sign-in page."""


def web_state(request: Request) -> WebState:
    return request.app.state.web


def current(request: Request) -> WebSession:
    session = getattr(request.state, "web_session", None)
    if session is None or web_state(request).vault is None:
        raise SignInRequired("sign in first")
    return session


def ctx(request: Request) -> Ctx:
    """FastAPI dependency: the signed-in account's context (pages redirect, the API answers 401)."""
    return current(request).ctx


async def checked_form(request: Request) -> dict[str, str]:
    """The posted form, after its CSRF token was compared with the session's."""
    form = await read_form(request)
    check_token(current(request).csrf, form.get("csrf"))
    return form


def see_other(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def needs_setup(state: WebState) -> bool:
    """No vault has been created yet (first run): pages lead to /setup instead of the sign-in page."""
    if state.vault is not None:
        return False
    try:
        return not vaults.vault_exists(data_dir=state.data_dir, settings=state.settings)
    except SessionlensError:  # the database cannot be read: the sign-in page says what is wrong
        return False


async def sign_in_required(request: Request, exc: Exception) -> Response:
    if request.url.path.startswith("/api/"):
        from starlette.responses import JSONResponse

        return JSONResponse({"detail": "Sign in first (or again: the session has ended)."}, status_code=401)
    first_run = await run_in_threadpool(needs_setup, web_state(request))
    return see_other("/setup" if first_run else "/signin")
