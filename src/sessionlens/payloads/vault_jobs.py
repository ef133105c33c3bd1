"""A job row's history (vault.job_rows): one entry per stage finished, no PHI."""

from typing_extensions import TypedDict


class StageDone(TypedDict):
    stage: str
    worker: str
    seconds: float
