"""API: processing progress (polled by the upload and recording pages)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from ...services import server_jobs
from ..deps import current
from ..ids import JobId
from .api_models import JobOut

router = APIRouter(prefix="/api/jobs", tags=["jobs"])


@router.get("/{job_id}", response_model=JobOut, summary="A job's state, step and progress")
def job_status(job_id: JobId, request: Request) -> dict[str, Any]:
    return server_jobs.job_status(current(request).ctx, job_id)
