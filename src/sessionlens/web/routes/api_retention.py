"""API: a client's audio retention — until the note is signed (default), after transcription, or keep."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends

from ...services import retention
from ...services.context import Ctx
from ..deps import ctx
from ..ids import ClientId
from .api_models import Strict
from .api_out import RetentionOut, RetentionSet

router = APIRouter(prefix="/api/clients", tags=["clients"])


class RetentionIn(Strict):
    audio: Literal["until_signed", "after_transcription", "keep"]


@router.get("/{client_id}/retention", summary="The client's audio retention (their own choice or the default)")
def show(client_id: ClientId, c: Ctx = Depends(ctx)) -> RetentionOut:
    return RetentionOut.model_validate(retention.client_policy(c, client_id))


@router.put("/{client_id}/retention", summary="Choose the client's audio retention; audio it no longer allows "
            "is deleted now, each with an audit receipt")
def choose(client_id: ClientId, body: RetentionIn, c: Ctx = Depends(ctx)) -> RetentionSet:
    return RetentionSet.model_validate(retention.set_client_policy(c, client_id, body.audio))
