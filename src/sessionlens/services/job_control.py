"""Use cases: cancel one's own active job, retry one's own failed job.

A job belongs to the account that submitted it (``services.server_jobs``): anyone else gets "not found",
and the attempt is audited. Cancelling deletes the job's sealed checkpoints (the uploaded file among them:
nothing is kept for work no one wants) and lets go of the keys it held; a worker still running it loses
its lease and stops at its next fenced write or progress report. Retrying is a new approval: the
clinician's keys are lent to the job again and it resumes from its last checkpoint.
"""

from __future__ import annotations

from sqlalchemy import Connection

from ..errors import InputError, NotFoundError
from ..payloads.services_jobs import JobPublic
from ..vault import job_rows as R
from .context import Ctx
from .keyring import Keyring
from .permissions import Action, Refused, require, unit_of_work
from .server_jobs import JobRunner, job_holder, job_status, lend_and_send


def _own_job(ctx: Ctx, conn: Connection, job_id: str, action: str) -> R.JobRow:
    """The actor's own job (after ``require``): another account's is "not found", audited."""
    job = R.get(conn, job_id)
    if job is None or job.owner_id != ctx.actor.id:
        raise Refused(NotFoundError(f"record {job_id} not found"), action, job_id)
    return job


def cancel_job(ctx: Ctx, job_id: str, *, keyring: Keyring) -> JobPublic:
    """Stop a queued, waiting or running job of the actor's own; its checkpoints are deleted."""
    with unit_of_work(ctx) as conn:
        require(ctx, Action.SESSION_IMPORT, job_id)
        job = _own_job(ctx, conn, job_id, "job.cancel")
        if not R.cancel(conn, job_id):
            raise InputError(f"only a queued, waiting or running job can be cancelled (this one is {job.state})")
        dropped = R.drop_stages(conn, job_id)
        ctx.vault.audit(conn, actor=ctx.who, action="job.cancel", target=job_id,
                        detail={"was": job.state, "checkpoints_deleted": dropped})
    keyring.release(ctx.actor.id, job_holder(job_id))
    return job_status(ctx, job_id)


def retry_job(ctx: Ctx, job_id: str, *, runner: JobRunner, keyring: Keyring) -> JobPublic:
    """Queue a failed job of the actor's own again; it resumes from its last checkpoint."""
    with unit_of_work(ctx) as conn:
        require(ctx, Action.SESSION_IMPORT, job_id)
        job = _own_job(ctx, conn, job_id, "job.retry")
        if not R.requeue(conn, job_id):
            raise InputError(f"only a failed job can be retried (this one is {job.state})")
        ctx.vault.audit(conn, actor=ctx.who, action="job.retry", target=job_id,
                        detail={"attempts_before": job.attempts})
    lend_and_send(ctx.vault, ctx.actor.id, job_id, runner, keyring)  # to an approved worker, or it says it waits
    return job_status(ctx, job_id)
