"""A durable processing job as its owner sees it (vault.job_rows.JobRow.public): no PHI.

The one shape the job chain passes on: services.server_jobs and services.job_control return it, the web's
jobs API (its response models), the jobs page and `sessionlens jobs` show it.
"""

from typing_extensions import TypedDict


class JobProgress(TypedDict):
    """Where a job stands: what the upload, recording and job endpoints answer (pydantic keeps these keys)."""

    id: str
    state: str
    step: str
    progress: float
    session: str | None
    message: str


class JobPublic(JobProgress):
    """A job as its owner sees it (no PHI): the JobRow.public() fields, as the jobs list answers them."""

    kind: str
    attempts: int
    created_at: str
    updated_at: str
    stages: list[str]
