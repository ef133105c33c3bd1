"""Page: the signed-in account's processing jobs (queued, running, failed with a PHI-free reason, done)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from ...services import server_jobs
from ...services.context import Ctx
from ..render import render
from ..deps import ctx

router = APIRouter(include_in_schema=False)


@router.get("/jobs")
def jobs_page(request: Request, c: Ctx = Depends(ctx)) -> Response:
    # the same use case as GET /api/jobs: own jobs only, same permission check; rows carry no PHI
    return render(request, "jobs.html.j2", {"jobs": server_jobs.list_jobs(c)})
