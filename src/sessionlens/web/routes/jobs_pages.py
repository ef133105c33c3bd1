"""Page: the signed-in account's processing jobs (queued, running, failed with a PHI-free reason, done),
with Cancel for an active job and Retry for a failed one."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ...services import job_control, server_jobs
from ...services.context import Ctx
from ..deps import checked_form, ctx, see_other, web_state
from ..ids import JobId
from ..render import render

router = APIRouter(include_in_schema=False)
ACTIVE = ("queued", "running", "waiting_for_keys")


@router.get("/jobs")
def jobs_page(request: Request, c: Ctx = Depends(ctx)) -> Response:
    # the same use case as GET /api/jobs: own jobs only, same permission check; rows carry no PHI
    return render(request, "jobs.html.j2", {"jobs": server_jobs.list_jobs(c), "active": ACTIVE})


@router.post("/jobs/{job_id}/cancel")
async def cancel(request: Request, job_id: JobId) -> Response:
    await checked_form(request)
    await run_in_threadpool(job_control.cancel_job, ctx(request), job_id, keyring=web_state(request).keyring)
    return see_other("/jobs")


@router.post("/jobs/{job_id}/retry")
async def retry(request: Request, job_id: JobId) -> Response:
    await checked_form(request)
    state = web_state(request)
    await run_in_threadpool(job_control.retry_job, ctx(request), job_id, runner=state.runner, keyring=state.keyring)
    return see_other("/jobs")
