"""Operations and durable jobs: readiness (public, no PHI) and the signed-in account's job list."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse

from ...logs import event
from ...payloads.services_jobs import JobPublic
from ...services import server_jobs
from ...services.keyring import MemoryKeyring
from ..deps import ctx, web_state
from .api_out import ReadyOut

router = APIRouter(tags=["meta"])


def _checks(request: Request) -> dict[str, bool]:
    state = web_state(request)
    checks: dict[str, bool] = {}
    try:
        checks["database"] = state.keeper.database_ready()  # connects, and the vault's schema is there
    except Exception as exc:  # noqa: BLE001 - readiness reports, it does not raise
        event("ready.check_failed", check="database", error=type(exc).__name__)
        checks["database"] = False
    # the laptop's in-process keyring is no broker: only a real one (Redis) is checked and reported
    if state.keyring is not None and not isinstance(state.keyring, MemoryKeyring):
        try:
            checks["broker"] = bool(state.keyring.ping())
        except Exception as exc:  # noqa: BLE001
            event("ready.check_failed", check="broker", error=type(exc).__name__)
            checks["broker"] = False
    return checks


@router.get("/api/ready", response_model=ReadyOut, responses={503: {"model": ReadyOut}}, summary="Readiness (public): the database answers and holds a vault; the broker answers")
async def ready(request: Request) -> JSONResponse:
    checks = await run_in_threadpool(_checks, request)
    ok = all(checks.values())
    return JSONResponse({"status": "ready" if ok else "not ready", "checks": checks}, status_code=200 if ok else 503)


@router.get("/api/jobs", summary="Your processing jobs on the practice server (state, step, progress)")
def my_jobs(request: Request) -> list[JobPublic]:
    return server_jobs.list_jobs(ctx(request))
