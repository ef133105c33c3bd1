"""A durable processing job as its owner sees it (vault.job_rows.JobRow.public): no PHI.

The one shape the job chain passes on: services.server_jobs and services.job_control return it, the web's
jobs API (pydantic JobOut / JobListed), the jobs page and `sessionlens jobs` show it.
"""

from typing_extensions import TypedDict


class JobPublic(TypedDict):
    id: str
    state: str
    step: str
    progress: float
    session: str | None
    message: str
    kind: str
    attempts: int
    created_at: str
    updated_at: str
    stages: list[str]
