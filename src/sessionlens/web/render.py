"""Jinja2 pages: autoescaped, no inline script or style (the CSP forbids both)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from .. import __version__
from .format import clock, percent

TEMPLATES = Path(__file__).resolve().parent / "templates"

env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(("html", "j2")),
                  trim_blocks=True, lstrip_blocks=True, auto_reload=False)
env.filters["clock"] = clock
env.filters["percent"] = percent
env.globals["version"] = __version__


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    session = getattr(request.state, "web_session", None)
    page = env.get_template(template).render(
        request=request, session=session, csrf=session.csrf if session else "",
        user=session.ctx.actor.username if session else None, **context)
    return HTMLResponse(page, status_code=status)
