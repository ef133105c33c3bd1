"""`sessionlens jobs list|cancel|retry` (one's own durable processing jobs) and `sessionlens account role`.

The same use cases as the jobs and accounts pages. On a practice server (job_runner = celery) a retried job
goes to the workers through Redis; on a laptop it runs in this process and the command waits for it.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ..config import Settings
from ..lazy import lazy
from ..payloads.services_jobs import JobPublic
from ..services.roles import Role
from .app import app
from .vault_cmds import account_app
from .vault_common import DataDir, Json, User, emit, signed_in

accounts = lazy("sessionlens.services.accounts")
job_control = lazy("sessionlens.services.job_control")
server_jobs = lazy("sessionlens.services.server_jobs")

jobs_app = typer.Typer(help="Your processing jobs: list, cancel, retry.", no_args_is_help=True)
app.add_typer(jobs_app, name="jobs")
JobArg = Annotated[str, typer.Argument(help="The job id (from `sessionlens jobs list`).")]


def _line(job: JobPublic) -> str:
    message = f"  {job['message']}" if job.get("message") else ""
    return f"{job['id']}  {job['state']}  {job['step']}  {round(100 * float(job['progress']))}%{message}"


def _keyring(settings: Settings) -> Any:
    """The workers' keyring on a practice server; on a laptop, one for this process only."""
    from ..services.keyring import MemoryKeyring, for_web

    return for_web(settings) if settings.job_runner == "celery" else MemoryKeyring()


@jobs_app.command("list")
def jobs_list(data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Your jobs, newest first: state, step, progress, a failure reason without PHI."""
    with signed_in(data_dir, user) as ctx:
        result = server_jobs.list_jobs(ctx)
    emit(result, as_json, "\n".join(_line(j) for j in result) or "no jobs")


@jobs_app.command("cancel")
def jobs_cancel(job_id: JobArg, data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Cancel a queued, waiting or running job of yours; its checkpoints (the uploaded file too) are deleted."""
    with signed_in(data_dir, user) as ctx:
        result = job_control.cancel_job(ctx, job_id, keyring=_keyring(ctx.vault.settings))
    emit(result, as_json, _line(result))


@jobs_app.command("retry")
def jobs_retry(job_id: JobArg, data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Retry a failed job of yours from its last checkpoint (laptop: runs here and waits for it)."""
    from ..jobs.runner import FINAL_STATES, CeleryRunner, InProcessRunner, wait_for

    with signed_in(data_dir, user) as ctx:
        settings = ctx.vault.settings
        keyring = _keyring(settings)
        if settings.job_runner == "celery":
            result = job_control.retry_job(ctx, job_id, runner=CeleryRunner(settings, keyring), keyring=keyring)
        else:
            runner = InProcessRunner(ctx.vault.engine, settings, keyring)
            try:
                job_control.retry_job(ctx, job_id, runner=runner, keyring=keyring)
                wait_for(ctx.vault.engine, job_id, timeout=float("inf"), states=FINAL_STATES)
            finally:
                runner.shutdown()
            result = server_jobs.job_status(ctx, job_id)
    emit(result, as_json, _line(result))


@account_app.command("role")
def account_role(username: str, role: Annotated[Role, typer.Argument(help="clinician, supervisor or admin")],
                 data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Change another account's role (admins and the owner; a clinician with clients keeps the role)."""
    with signed_in(data_dir, user) as ctx:
        result = accounts.change_role(ctx, username, role)
    emit(result, as_json, f"account {username} is now {result['role']}")
