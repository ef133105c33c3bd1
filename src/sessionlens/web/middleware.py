"""One ASGI middleware for the checks every request passes, before any route runs.

In order: the Host header must name this server (DNS rebinding); the session cookie is resolved, and the
session ends at once when its account was disabled, demoted or had its password reset since sign-in;
API routes other than the public ones answer 401 without a live session; state-changing requests
from another site are refused (Sec-Fetch-Site / Origin), and API ones need the CSRF header. Every
answer gets the security headers, and ``no-store`` unless it is a static asset. An unexpected
exception becomes a plain 500 with no detail (the log gets the exception type only).
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import Message

from ..logs import server_error
from . import headers as H
from .state import WebState

Scope = MutableMapping[str, Any]
ASGI = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]

PUBLIC_API = frozenset({"/api/health", "/api/ready", "/api/openapi.json"})
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def cookies(scope_headers: dict[str, str]) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(scope_headers.get("cookie", ""))
    except Exception:  # noqa: BLE001 - a malformed cookie header is treated as no cookie
        return {}
    return {k: m.value for k, m in jar.items()}


def route_template(scope: Scope) -> str:
    """The matched route's template (``/clients/{client_id}``), never the filled-in path."""
    route = scope.get("route")
    return str(getattr(route, "path", "-"))


class Guard:
    def __init__(self, app: ASGI, state: WebState, *, tls: bool) -> None:
        self.app, self.state, self.tls = app, state, tls
        self.hosts = {h for h in (*LOOPBACK, state.settings.web_host)}

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        hdrs = _headers(scope)
        path, method = scope.get("path", "/"), scope.get("method", "GET")
        token = cookies(hdrs).get(H.SESSION_COOKIE)
        session = self.state.sessions.get(token)
        if session is not None and not path.startswith("/static/") \
                and not await run_in_threadpool(self.state.still_current, session):
            self.state.sessions.drop(token)  # disabled, demoted or password reset since sign-in: access ends now
            session = None
        scope.setdefault("state", {})["web_session"] = session
        refusal = self._refusal(hdrs, path, method, session)
        wrapped = self._send(send, static=path.startswith("/static/"))
        if refusal is not None:
            await _plain(wrapped, *refusal, api=path.startswith("/api/"))
            return
        try:
            await self.app(scope, receive, wrapped)
        except Exception as exc:  # noqa: BLE001 - last line of defence: no traceback, no PHI
            server_error(route_template(scope), method, 500, exc)
            if not wrapped.started:
                await _plain(wrapped, 500, "Something went wrong on the server; nothing was changed by this "
                                           "request's failure. Try again.", api=path.startswith("/api/"))

    def _refusal(self, hdrs: dict[str, str], path: str, method: str, session: Any) -> tuple[int, str] | None:
        host = hdrs.get("host", "").rsplit(":", 1)[0] if not hdrs.get("host", "").endswith("]") \
            else hdrs.get("host", "")
        if host not in self.hosts:
            return 400, "This server answers only on its own address."
        if path.startswith("/api/") and path not in PUBLIC_API and session is None:
            return 401, "Sign in first (or again: the session has ended)."
        if method in UNSAFE:
            if hdrs.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
                return 403, "Refused: the request came from another site."
            origin = hdrs.get("origin")  # "null" under Referrer-Policy no-referrer: the token decides then
            if origin and origin != "null" and origin.split("://", 1)[-1] != hdrs.get("host"):
                return 403, "Refused: the request came from another site."
            if path.startswith("/api/") and session is not None and \
                    not hmac.compare_digest(hdrs.get("x-csrf-token", ""), session.csrf):
                return 403, "Refused: the form is out of date (missing or wrong CSRF token). Reload the page."
        return None

    def _send(self, send: Any, *, static: bool) -> Any:
        extra = list(H.BASE) + [H.STATIC_CACHE if static else H.NO_STORE] + ([H.HSTS] if self.tls else [])

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                wrapped.started = True  # type: ignore[attr-defined]  # a flag kept on the callable itself
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
                message["headers"] = kept + extra
            await send(message)

        wrapped.started = False  # type: ignore[attr-defined]  # read by the error handler
        return wrapped


async def _plain(send: Any, status: int, message: str, *, api: bool) -> None:
    if api:
        body, ctype = json.dumps({"detail": message}).encode(), b"application/json"
    else:
        body, ctype = message.encode(), b"text/plain; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
