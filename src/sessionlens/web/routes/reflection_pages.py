"""Pages: reflection — the hub, impressions before the data and side by side after, the private
journal, relationship markers with measures, trends (client and clinician), and the clinician's
wellbeing and "where do I stand?" check-ins."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ...errors import InputError
from ...reflection import impressions as imp
from ...reflection import measures as ms
from ...reflection import standing, wellbeing
from ...services import clients, sessions
from ...services import reflection as rf
from ...services.context import Ctx
from ..deps import checked_form, ctx, see_other
from ..ids import ClientId, SessionId
from ..render import render

router = APIRouter(include_in_schema=False)


@router.get("/reflection")
def hub(request: Request, c: Ctx = Depends(ctx)) -> Response:
    rows = [{"id": s["id"], "client": s["client"], "date": s["created_at"][:10]} for s in sessions.list_sessions(c)]
    return render(request, "reflection.html.j2", {"sessions": rows, "clients": clients.list_clients(c)})


@router.get("/sessions/{session_id}/impressions")
def impressions_page(request: Request, session_id: SessionId, c: Ctx = Depends(ctx)) -> Response:
    state = rf.has_impressions(c, session_id)
    compared = rf.compare_impressions(c, session_id) if state["recorded"] and request.query_params.get("compare") \
        else None
    return render(request, "impressions.html.j2", {"session_id": session_id, "state": state, "items": imp.ITEMS,
                                                   "compared": compared})


@router.post("/sessions/{session_id}/impressions")
async def impressions_save(request: Request, session_id: SessionId) -> Response:
    form = await checked_form(request)
    given = {i.key: form.get(i.key, "") for i in imp.ITEMS} | {"note": form.get("note", "")}
    await run_in_threadpool(rf.record_impressions, ctx(request), session_id, given)
    return see_other(f"/sessions/{session_id}/impressions")


@router.get("/sessions/{session_id}/journal")
def journal_page(request: Request, session_id: SessionId, c: Ctx = Depends(ctx)) -> Response:
    return render(request, "journal.html.j2", {"session_id": session_id, "entries": rf.read_journal(c, session_id)})


@router.post("/sessions/{session_id}/journal")
async def journal_add(request: Request, session_id: SessionId) -> Response:
    form = await checked_form(request)
    await run_in_threadpool(rf.add_journal_entry, ctx(request), session_id, form.get("text", ""))
    return see_other(f"/sessions/{session_id}/journal")


@router.get("/sessions/{session_id}/journal.md")
def journal_export(session_id: SessionId, c: Ctx = Depends(ctx)) -> Response:
    return Response(rf.export_journal(c, session_id), media_type="text/markdown; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{session_id}-journal.md"'})


@router.get("/sessions/{session_id}/markers")
def markers_page(request: Request, session_id: SessionId, c: Ctx = Depends(ctx)) -> Response:
    return render(request, "markers.html.j2", {"m": rf.session_markers(c, session_id)})


@router.get("/clients/{client_id}/trends")
def client_trends(request: Request, client_id: ClientId, c: Ctx = Depends(ctx)) -> Response:
    return render(request, "client_trends.html.j2", {"t": rf.client_trends(c, client_id), "client_id": client_id,
                                                     "today": date.today().isoformat()})


@router.post("/clients/{client_id}/measures")
async def measure_add(request: Request, client_id: ClientId) -> Response:
    form = await checked_form(request)
    inst = ms.instrument(form.get("instrument", ""))
    answers = [ms.parse_answers(form.get(f"item{n}", "") or "x")[0] for n in range(1, inst.items + 1)]
    try:
        when = date.fromisoformat(form["taken_on"]) if form.get("taken_on") else None
    except ValueError:
        raise InputError("the date must be YYYY-MM-DD") from None
    await run_in_threadpool(rf.record_measure, ctx(request), client_id, inst.name, answers, when)
    return see_other(f"/clients/{client_id}/trends")


@router.get("/me/trends")
def my_trends(request: Request, c: Ctx = Depends(ctx)) -> Response:
    return render(request, "my_trends.html.j2", {"t": rf.clinician_trends(c),
                                                 "recollection": rf.recollection_over_time(c)})


def _checkin_context(kind: str, c: Ctx) -> dict[str, Any]:  # a Jinja context (render's boundary)
    if kind == "wellbeing":
        return {"kind": kind, "title": "Wellbeing check-in", "history": rf.wellbeing_history(c),
                "items": [(k, s) for k, s, _ in wellbeing.ITEMS], "scale": list(enumerate(wellbeing.SCALE))}
    out = rf.standing_history(c)
    return {"kind": kind, "title": "Where do I stand?", "standing": out, "dimensions": standing.DIMENSIONS}


@router.get("/me/{kind}")
def checkin_page(request: Request, kind: str, c: Ctx = Depends(ctx)) -> Response:
    if kind not in ("wellbeing", "standing"):
        raise InputError("no such page")
    return render(request, "checkin.html.j2", _checkin_context(kind, c))


@router.post("/me/{kind}")
async def checkin_save(request: Request, kind: str) -> Response:
    form = await checked_form(request)
    if kind == "wellbeing":
        given = {k: form.get(k, "") for k in wellbeing.KEYS}
        await run_in_threadpool(rf.record_wellbeing, ctx(request), given)
    elif kind == "standing":
        given = {k: form.get(k, "") for k in standing.KEYS} | {"note": form.get("note", "")}
        await run_in_threadpool(rf.record_standing, ctx(request), given)
    else:
        raise InputError("no such page")
    return see_other(f"/me/{kind}")
