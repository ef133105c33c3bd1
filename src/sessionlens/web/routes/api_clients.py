"""API: clients and consent."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from ...services import clients, consent
from ...services.context import Ctx
from ..deps import ctx
from ..ids import ClientId
from .api_models import ClientIn, ConsentIn
from .api_out import ClientAdded, ClientOut, ClientSummary, ConsentRecorded, ConsentStatus

router = APIRouter(prefix="/api/clients", tags=["clients"])


@router.get("", summary="List your clients (names: a PHI read, audited)")
def list_clients(c: Ctx = Depends(ctx)) -> list[ClientSummary]:
    return [ClientSummary.model_validate(row) for row in clients.list_clients(c)]


@router.post("", status_code=201, response_model_exclude_none=True,  # no "consent": null when none was asked
             summary="Add a client, optionally recording consent at once")
def add_client(body: ClientIn, c: Ctx = Depends(ctx)) -> ClientAdded:
    added = ClientAdded.model_validate(clients.add_client(c, body.name))
    if body.consent:  # the consent record rides along when asked for at once
        added.consent = ConsentRecorded.model_validate(consent.record_consent(c, added.id, body.consent))
    return added


@router.get("/{client_id}", summary="A client: name, consent, session ids")
def show_client(client_id: ClientId, c: Ctx = Depends(ctx)) -> ClientOut:
    return ClientOut.model_validate(clients.show_client(c, client_id))


@router.post("/{client_id}/consent", status_code=201, summary="Record consent (supersedes older records)")
def record_consent(client_id: ClientId, body: ConsentIn, c: Ctx = Depends(ctx)) -> ConsentRecorded:
    return ConsentRecorded.model_validate(consent.record_consent(c, client_id, body.scopes))


@router.get("/{client_id}/consent", summary="Consent status and history")
def consent_status(client_id: ClientId, c: Ctx = Depends(ctx)) -> ConsentStatus:
    return ConsentStatus.model_validate(consent.consent_status(c, client_id))
