"""Page: revoke a client's consent and delete every record of theirs, after an explicit confirmation."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ...errors import InputError
from ...services import clients, consent
from ...services.context import Ctx
from ..deps import checked_form, ctx
from ..ids import ClientId
from ..render import render

router = APIRouter(include_in_schema=False)
CONFIRM_WORD = "delete"


@router.get("/clients/{client_id}/revoke-delete")
def confirm_page(request: Request, client_id: ClientId, c: Ctx = Depends(ctx)) -> Response:
    client = clients.show_client(c, client_id)  # the same permission check as the overview
    return render(request, "revoke_delete.html.j2", {"client": client, "word": CONFIRM_WORD})


@router.post("/clients/{client_id}/revoke-delete")
async def revoke_and_delete(request: Request, client_id: ClientId) -> Response:
    form = await checked_form(request)
    c = ctx(request)
    # Permission first: another clinician's client is "not found" (and audited) whatever the form holds.
    await run_in_threadpool(clients.show_client, c, client_id)
    if form.get("confirm", "").strip().lower() != CONFIRM_WORD:
        raise InputError(f"type '{CONFIRM_WORD}' to confirm that every record of this client is deleted")
    result = await run_in_threadpool(consent.revoke_consent, c, client_id, delete=True)
    # the receipt (counts, ids) is in the audit trail as client.shred; the page repeats it, no client content
    return render(request, "revoke_deleted.html.j2", {"result": result})
