"""Pages: the client list (add with consent), a client's overview with trends, recording in the room."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ...errors import InputError
from ...payloads.metrics import RoleName, TalkStats
from ...payloads.web_charts import SessionTrendRow
from ...services import clients, consent, sessions
from ...services.consent import SCOPES
from ...services.context import Ctx
from ..deps import checked_form, ctx, see_other
from ..ids import ClientId
from ..render import render
from ..views import charts

router = APIRouter(include_in_schema=False)


@router.get("/clients")
def client_list(request: Request, c: Ctx = Depends(ctx)) -> Response:
    return render(request, "clients.html.j2", {"clients": clients.list_clients(c), "scopes": SCOPES})


def _scopes(form: dict[str, str]) -> list[str]:
    return [s for s in SCOPES if form.get(f"scope_{s}") == "on"]


@router.post("/clients")
async def client_add(request: Request) -> Response:
    form = await checked_form(request)
    c = ctx(request)
    added = await run_in_threadpool(clients.add_client, c, form.get("name", ""))
    if scopes := _scopes(form):
        await run_in_threadpool(consent.record_consent, c, added["id"], scopes)
    return see_other(f"/clients/{added['id']}")


def session_rows(c: Ctx, client_id: str) -> list[SessionTrendRow]:
    """Each session with its date, status and the headline numbers used for trends."""
    rows: list[SessionTrendRow] = []
    for s in sessions.list_sessions(c, client_id):
        metrics = sessions.show_session(c, s["id"]).get("metrics")
        talk = metrics.get("talk_time", {}) if metrics else {}
        rows.append({"id": s["id"], "date": s["created_at"][:10], "format": s.get("source_format", ""),
                     "status": s.get("status", "ready"), "utterances": s.get("utterances", 0),
                     "therapist_share": _share(talk, "therapist"), "client_share": _share(talk, "client")})
    return rows


def _share(talk: Mapping[RoleName, TalkStats], role: RoleName) -> float | None:
    stats = talk.get(role)
    return stats.get("share") if stats else None


@router.get("/clients/{client_id}")
def client_overview(request: Request, client_id: ClientId, c: Ctx = Depends(ctx)) -> Response:
    client = clients.show_client(c, client_id)
    status = consent.consent_status(c, client_id)
    rows = session_rows(c, client_id)
    return render(request, "client.html.j2", {"client": client, "consent": status, "rows": rows,
                                               "trend": charts.trends(rows), "scopes": SCOPES})


@router.post("/clients/{client_id}/consent")
async def client_consent(request: Request, client_id: ClientId) -> Response:
    form = await checked_form(request)
    c = ctx(request)
    if form.get("action") == "revoke":
        await run_in_threadpool(consent.revoke_consent, c, client_id)
    else:
        scopes = _scopes(form)
        if not scopes:
            raise InputError("choose at least one thing the client consents to")
        await run_in_threadpool(consent.record_consent, c, client_id, scopes)
    return see_other(f"/clients/{client_id}")


@router.get("/clients/{client_id}/record")
def record_page(request: Request, client_id: ClientId, c: Ctx = Depends(ctx)) -> Response:
    client = clients.show_client(c, client_id)
    status = consent.consent_status(c, client_id)
    return render(request, "record.html.j2", {"client": client, "may_record": status["may_process"]})
