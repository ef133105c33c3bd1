"""API: processing progress (polled by the upload and recording pages); cancel and retry one's own job.

Cancel and retry call the same use cases as the jobs page (``services.job_control``): the same permission
check, another account's job is "not found" (audited), a job in the wrong state is a one-line 400.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from ...payloads.services_jobs import JobProgress, JobPublic
from ...services import job_control, server_jobs
from ..deps import current, web_state
from ..ids import JobId

router = APIRouter(prefix="/api/jobs", tags=["jobs"])


@router.get("/{job_id}", response_model=JobProgress, summary="A job's state, step and progress")
def job_status(job_id: JobId, request: Request) -> JobPublic:
    return server_jobs.job_status(current(request).ctx, job_id)


@router.post("/{job_id}/cancel", response_model=JobProgress,
             summary="Cancel a queued, waiting or running job of yours (its checkpoints are deleted)")
async def cancel_job(job_id: JobId, request: Request) -> JobPublic:
    keyring = web_state(request).keyring
    return await run_in_threadpool(job_control.cancel_job, current(request).ctx, job_id, keyring=keyring)


@router.post("/{job_id}/retry", response_model=JobProgress,
             summary="Retry a failed job of yours (it resumes from its last checkpoint)")
async def retry_job(job_id: JobId, request: Request) -> JobPublic:
    state = web_state(request)
    return await run_in_threadpool(job_control.retry_job, current(request).ctx, job_id, runner=state.runner,
                                   keyring=state.keyring)
