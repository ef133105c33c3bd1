"""Code corrections: the review page's form (CSRF-checked), a small JSON API, the agreement report and
the re-training export (a download, like the other exports)."""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ...analysis.coding.scheme import BEHAVIOURS, CLIENT_TALK, FAMILIES, MITI
from ...errors import InputError
from ...services import code_corrections as cc
from ...services.context import Ctx
from ..deps import checked_form, ctx, see_other
from ..ids import SessionId
from ..render import env
from .api_out import CodeAgreement, CodeCorrected, CodeCorrections

router = APIRouter()
UTTERANCE = r"^[A-Za-z0-9_.:-]{1,64}$"
SPLIT = re.compile(r"[\s,;]+")
env.globals["code_scheme"] = {"behaviours": BEHAVIOURS, "client_talk": CLIENT_TALK, "families": FAMILIES,
                              "miti": MITI}


class CodeFix(BaseModel):
    model_config = ConfigDict(extra="forbid")
    utterance_id: str = Field(pattern=UTTERANCE)
    therapist_behaviour: str | None = Field(default=None, max_length=40)
    therapist_subcodes: list[str] | None = Field(default=None, max_length=10)
    client_talk: str | None = Field(default=None, max_length=40)
    note: str | None = Field(default=None, max_length=cc.MAX_NOTE)


def _subcodes(text: str) -> list[str] | None:
    """Form field: empty keeps the sub-codes, "none" clears them, else codes separated by commas/spaces."""
    words = [w for w in SPLIT.split(text.strip().lower()) if w]
    if not words:
        return None
    return [] if words == ["none"] else words


@router.post("/sessions/{session_id}/codes", include_in_schema=False)
async def correct_from_review(request: Request, session_id: SessionId) -> Response:
    form = await checked_form(request)
    uid = form.get("utterance", "")
    if not re.match(UTTERANCE, uid):
        raise InputError("choose a line to correct")
    await run_in_threadpool(cc.correct_code, ctx(request), session_id, uid,
                            therapist_behaviour=form.get("therapist_behaviour") or None,
                            therapist_subcodes=_subcodes(form.get("subcodes", "")),
                            client_talk=form.get("client_talk") or None)
    return see_other(f"/sessions/{session_id}?corrected={uid}#{uid}")


@router.get("/api/sessions/{session_id}/codes", tags=["codes"], summary="A session's code corrections")
def list_codes(session_id: SessionId, c: Ctx = Depends(ctx)) -> CodeCorrections:
    return CodeCorrections.model_validate(cc.list_corrections(c, session_id))


@router.post("/api/sessions/{session_id}/codes", tags=["codes"],
             summary="Correct an utterance's codes; the session's measures are recomputed")
def correct_code(session_id: SessionId, body: CodeFix, c: Ctx = Depends(ctx)) -> CodeCorrected:
    return CodeCorrected.model_validate(cc.correct_code(
        c, session_id, body.utterance_id, therapist_behaviour=body.therapist_behaviour,
        therapist_subcodes=body.therapist_subcodes, client_talk=body.client_talk, note=body.note))


@router.get("/api/codes/agreement", tags=["codes"], summary="Agreement between you and the model over time")
def agreement(c: Ctx = Depends(ctx)) -> CodeAgreement:
    return CodeAgreement.model_validate(cc.agreement(c))


@router.get("/codes/export", include_in_schema=False)
def export_rows(c: Ctx = Depends(ctx)) -> Response:
    data = cc.export_training_rows(c)
    return Response(data, media_type="application/x-ndjson",
                    headers={"content-disposition": 'attachment; filename="code-corrections.jsonl"'})
