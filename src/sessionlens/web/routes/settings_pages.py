"""Page: the settings in force (read-only here; they are set by environment or CLI options)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from ...config import SETTINGS
from ...services.context import Ctx
from ..deps import ctx, web_state
from ..render import render

router = APIRouter(include_in_schema=False)
HIDDEN = {"database_url"}  # may hold a password


@router.get("/settings")
def settings_page(request: Request, c: Ctx = Depends(ctx)) -> Response:
    values = web_state(request).settings
    rows = [{"name": s.name, "value": "(set)" if s.name in HIDDEN and values[s.name] else values[s.name],
             "default": s.default, "help": s.help} for s in SETTINGS]
    return render(request, "settings.html.j2", {"rows": rows, "account": c.actor.public()})
