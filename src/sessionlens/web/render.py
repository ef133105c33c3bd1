"""Jinja2 pages: autoescaped, no inline script or style (the CSP forbids both)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from .. import __version__
from .format import clock, percent
from .page_cache import CSRF_SLOT

TEMPLATES = Path(__file__).resolve().parent / "templates"

env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(("html", "j2")),
                  trim_blocks=True, lstrip_blocks=True, auto_reload=False)
env.filters["clock"] = clock
env.filters["percent"] = percent
env.globals["version"] = __version__


def compile_templates() -> None:
    """Compile every page template now (about 0.3 s), not on its first request: a server's first views
    would otherwise all wait while the review page's templates compile (issue 19)."""
    for name in env.list_templates(extensions=["j2"]):
        env.get_template(name)


def render_text(request: Request, template: str, context: dict[str, Any], *, csrf: str | None = None) -> str:  # a Jinja context
    session = getattr(request.state, "web_session", None)
    return env.get_template(template).render(
        request=request, session=session, csrf=csrf or (session.csrf if session else ""),
        user=session.ctx.actor.username if session else None, **context)


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:  # a Jinja context
    return HTMLResponse(render_text(request, template, context), status_code=status)


def render_kept(request: Request, key: tuple[str, ...], template: str,
                context: Callable[[], dict[str, Any]]) -> HTMLResponse:  # a Jinja context, built on a miss
    """A page kept in the account's page cache under ``key`` and the request's path and query
    (templates may read them; see :mod:`.page_cache`), or rendered from ``context()`` and kept. Without a
    browser session it is simply rendered."""
    session = getattr(request.state, "web_session", None)
    if session is None:
        return render(request, template, context())
    where = (template, request.url.path, request.url.query)
    page = session.pages.page(where + key, lambda: render_text(request, template, context(), csrf=CSRF_SLOT))
    return HTMLResponse(page.replace(CSRF_SLOT, session.csrf))
