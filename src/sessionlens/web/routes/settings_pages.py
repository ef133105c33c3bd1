"""Page: every setting with its value, default and help; admins and the vault owner edit the ones a practice
tunes while running (services.saved_settings: config.py's own rules; the environment still wins)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ...config import Settings
from ...services import saved_settings
from ...services.context import Ctx
from ..deps import checked_form, ctx, see_other, web_state
from ..render import render
from ..state import WebState

router = APIRouter(include_in_schema=False)
HIDDEN = {"database_url"}  # may hold a password


def _page(request: Request, c: Ctx, saved: bool = False) -> Response:
    state = web_state(request)
    rows = saved_settings.rows(state.settings, state.data_dir)
    for r in rows:
        if r["name"] in HIDDEN and r["value"]:
            r["value"] = "(set)"
    account = c.actor.public()
    return render(request, "settings.html.j2", {"rows": rows, "account": account, "saved": saved,
                                                "can_edit": account["owner"] or account["role"] == "admin"})


@router.get("/settings")
def settings_page(request: Request, c: Ctx = Depends(ctx)) -> Response:
    return _page(request, c, saved=request.query_params.get("saved") == "1")


def _in_force(state: WebState, new: Settings) -> None:
    """Saved settings apply at once where they are read per use: upload caps and set-up rules (the web
    state), and analysis, speech, notes, retention and lock-out (the open vault, vaults opened later, and jobs of
    the in-process runner). ``sessionlens worker`` processes on a practice server read their own at start."""
    state.settings = new
    state.keeper.settings = new
    if state.vault is not None:
        state.vault.settings = new
    if isinstance(getattr(state.runner, "settings", None), Settings):  # the in-process runner's job vaults
        state.runner.settings = new


@router.post("/settings")
async def settings_save(request: Request) -> Response:
    form = await checked_form(request)
    state = web_state(request)
    new = await run_in_threadpool(saved_settings.save, ctx(request), state.settings, state.data_dir, form)
    _in_force(state, new)
    return see_other("/settings?saved=1")
