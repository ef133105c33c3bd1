"""Use cases: submit processing as a durable job, see one's own jobs.

Submitting is the clinician's *approval*: the job holds their keys in the keyring until it ends, so it
runs even if they sign out. The uploaded bytes are sealed under the client's key as the job's first
checkpoint; only the job id is handed to the runner. A job belongs to the account that submitted it:
anyone else asking for it gets "not found", and the attempt is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ..errors import NotFoundError
from ..payloads.services_jobs import JobPublic
from ..vault import job_rows as R
from ..vault.vault import Vault
from .consent import consented
from .context import Ctx
from .keyring import NO_WORKER_STEP, Keyring, hold_keys
from .permissions import Action, Refused, client_row, require, session_row, unit_of_work
from .pipeline import transcript_input

JOB_KEYS_TTL = 24 * 3600  # an approved job keeps its keys at most this long; later it waits for a sign-in


class JobRunner(Protocol):
    """Starts processing of a job row created here (``jobs.runner``: in this process, or Celery workers)."""

    def dispatch(self, job_id: str) -> None: ...


def job_holder(job_id: str) -> str:
    """The keyring holder name of an approved job (released when the job ends)."""
    return f"job:{job_id}"


def lend_and_send(vault: Vault, account_id: str, job_id: str, runner: JobRunner, keyring: Keyring) -> None:
    """An approved job (submitted, retried): lend it its grant — on a server sealed to one approved worker,
    which gets the job — and send it. With no live approved worker there is no grant, and the job says so."""
    if hold_keys(vault, account_id, keyring, job_holder(job_id), JOB_KEYS_TTL) and keyring.route(job_id) is None:
        with vault.transaction() as conn:
            R.set_state(conn, job_id, R.WAITING, step=NO_WORKER_STEP, release=False)
    runner.dispatch(job_id)


def _start(ctx: Ctx, job_id: str, runner: JobRunner, keyring: Keyring) -> JobPublic:
    lend_and_send(ctx.vault, ctx.actor.id, job_id, runner, keyring)
    return job_status(ctx, job_id)


def submit_transcript(ctx: Ctx, client_id: str, data: bytes, *, source: str, runner: JobRunner, keyring: Keyring,
                      fmt: str | None = None, therapist: Sequence[str] = ()) -> JobPublic:
    packed = transcript_input(client_id, data, source=source, fmt=fmt, therapist=therapist)
    with unit_of_work(ctx) as conn:
        client = client_row(ctx, conn, Action.SESSION_IMPORT, client_id)
        consented(ctx, conn, client_id)
        job_id = R.create(conn, owner_id=ctx.actor.id, kind="transcript", client_id=client_id, session_id=None)
        R.save_stage(ctx.vault, conn, job_id, "input", client.key_id, client.key_version, packed)
        ctx.vault.audit(conn, actor=ctx.who, action="job.submit", target=job_id,
                        detail={"client": client_id, "kind": "transcript", "bytes": len(data)})
    return _start(ctx, job_id, runner, keyring)


def submit_audio(ctx: Ctx, session_id: str, *, runner: JobRunner, keyring: Keyring) -> JobPublic:
    """Transcribe and analyse a session's stored audio."""
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.SESSION_IMPORT, session_id)
        consented(ctx, conn, row.client_id)
        job_id = R.create(conn, owner_id=ctx.actor.id, kind="audio", client_id=row.client_id, session_id=session_id)
        ctx.vault.audit(conn, actor=ctx.who, action="job.submit", target=job_id,
                        detail={"client": row.client_id, "session": session_id, "kind": "audio"})
    return _start(ctx, job_id, runner, keyring)


def job_status(ctx: Ctx, job_id: str) -> JobPublic:
    """State, step and progress of one of the actor's own jobs (no PHI; not audited when it is one's own)."""
    with unit_of_work(ctx) as conn:
        require(ctx, Action.SESSION_IMPORT, job_id)
        job = R.get(conn, job_id)
        if job is None or job.owner_id != ctx.actor.id:
            raise Refused(NotFoundError(f"record {job_id} not found"), "job.read", job_id)
    return job.public()


def list_jobs(ctx: Ctx, limit: int = 50) -> list[JobPublic]:
    with unit_of_work(ctx) as conn:
        require(ctx, Action.SESSION_IMPORT)
        found = R.for_owner(conn, ctx.actor.id, limit)
    return [j.public() for j in found]


def submit_upload(ctx: Ctx, client_id: str, data: bytes, kind: str, name: str, mime: str, *, runner: JobRunner,
                  keyring: Keyring, people: int | None = None) -> JobPublic:
    """An upload from the web app: a transcript becomes a transcript job; audio is sealed into a new session
    (status ``awaiting_transcription``) and an audio job transcribes it."""
    from . import media_sessions

    if kind == "transcript":
        return submit_transcript(ctx, client_id, data, source=name or "upload", runner=runner, keyring=keyring)
    created = media_sessions.create_audio_session(ctx, client_id, status="awaiting_transcription", mime=mime,
                                                  data=data, people=people)
    with unit_of_work(ctx) as conn:
        client_row(ctx, conn, Action.SESSION_IMPORT, client_id)
    return submit_audio(ctx, created["id"], runner=runner, keyring=keyring)
