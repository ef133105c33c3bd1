"""The job runners: a job row is created (by services.server_jobs), then *dispatched* to a runner.

Both runners execute the same :func:`run_once` — claim the lease, find the owner's keys, run or resume
the stages — so the in-process default on one machine and Celery workers on a server behave the same:

* :class:`InProcessRunner` — worker threads inside this process (the default; no Redis needed);
* :class:`CeleryRunner` — publishes the job id to Redis; ``sessionlens worker`` processes run it.

Outcomes: ``done`` / ``failed`` (final); ``wait`` — the owner's keys are not in memory (the clinician is
signed out and the approval lapsed): the job waits and is tried again; ``busy`` — another worker holds
a live lease; ``moved`` — the job's grant is now routed to another worker (this worker's message is stale). Unexpected errors are transient: retried with exponential back-off up to
:data:`MAX_ATTEMPTS` attempts, then the job fails with a generic message.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import Engine

from ..config import Settings
from ..errors import AuthError, ConfigError, IntegrityError, SessionlensError
from ..logs import event
from ..services.keyring import Keyring, RedisKeyring
from ..services.worker_registry import base_queue, queue_of
from ..services.server_jobs import job_holder
from ..vault import job_rows as R
from ..vault import grants, store
from ..vault.vault import KeysLockedError, Vault
from .stages import LeaseLost, execute, fail_message

MAX_ATTEMPTS = 4
FINAL_STATES = R.FINAL  # done, failed, cancelled: where a runner stops (for callers outside the vault layer)
KEY_WAIT_SECONDS = 5.0


def backoff(attempt: int, base: float = 2.0, cap: float = 60.0) -> float:
    """Seconds before retry ``attempt`` (1, 2, 3 …): 2, 4, 8 … capped."""
    return min(cap, base ** max(1, attempt))


def worker_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def _forget(vault: grants.GrantVault) -> None:
    """Drop the keys of a worker's per-job vault without disposing of the shared engine."""
    vault.forget()


def _finish(keyring: Keyring, owner_id: str, job_id: str) -> None:
    keyring.release(owner_id, job_holder(job_id))


def _hand_back(keyring: Keyring, job_id: str, grant: bytes) -> None:
    """The job goes on later (retry, another worker's lease): its taken grant goes back, same expiry."""
    keyring.put_job(job_id, grant, int(json.loads(grant)["expires"]))


def _note_failure(vault: Vault, job: R.JobRow, message: str) -> None:
    """An audio job that failed for good: the session says so (as the in-process transcription did)."""
    if job.kind != "audio" or not job.session_id:
        return
    from ..services import media_sessions
    from ..services.context import Ctx
    from ..vault import accounts

    try:
        with store.transaction(vault.engine) as conn:
            actor = accounts.get_by_id(vault, conn, job.owner_id)
        media_sessions.set_status(Ctx(vault, actor), job.session_id, "awaiting_transcription",
                                  f"Transcription did not succeed: {message}")
    except Exception as exc:  # noqa: BLE001 - the job's own state already says it failed
        event("job.note_failed", logging.WARNING, job=job.id, error=type(exc).__name__)


def job_settings(settings: Settings, data_dir: Path | None = None) -> Settings:
    """The settings a worker runs a job with: its own (environment) and, where that sets nothing, those saved
    from the settings page (``settings.json`` in the data directory), exactly as the web app and the CLI
    apply them. Read again for every job, so a value saved in the browser reaches workers already running.
    A damaged file is logged (no values: they may be anyone's typing) and the job runs on the environment's."""
    from ..services import saved_settings

    try:
        return saved_settings.effective(settings, data_dir)
    except ConfigError as exc:
        event("job.saved_settings_unreadable", logging.WARNING, error=type(exc).__name__)
        return settings


def run_once(engine: Engine, settings: Settings, keyring: Keyring, job_id: str, worker: str) -> tuple[str, float]:
    """One attempt at a job; returns (outcome, seconds to wait before the next attempt)."""
    lease = float(settings.job_lease_seconds)
    with store.transaction(engine) as conn:
        job = R.get(conn, job_id)
    if job is None or job.state in R.FINAL:
        return (job.state if job else R.FAILED), 0.0
    try:
        grant = keyring.take_job(job_id)  # read and deleted at once: a consumed grant is gone
    except IntegrityError as exc:  # moved from another job, expiry pushed back, or not sealed to us
        event("job.grant_refused", logging.WARNING, job=job_id, worker=worker, error=type(exc).__name__)
        grant = None
    if grant is None:
        if keyring.routed_elsewhere(job_id):  # re-sealed for another worker (this one was down or revoked)
            return "moved", 0.0
        with store.transaction(engine) as conn:
            if job.state == R.QUEUED:
                R.set_state(conn, job_id, R.WAITING, step="waiting for the clinician to sign in", release=False)
        event("job.waiting_for_keys", job=job_id, worker=worker)
        return "wait", KEY_WAIT_SECONDS
    with store.transaction(engine) as conn:
        claimed = R.claim(conn, job_id, worker, lease)
    if not claimed:
        _hand_back(keyring, job_id, grant)
        return "busy", lease
    event("job.claimed", job=job_id, worker=worker, attempt=job.attempts + 1, kind=job.kind)
    try:
        vault = grants.vault_from_job_grant(engine, settings, grant, job_id, time.time())
    except AuthError:  # lapsed between the check and now, or made for another job
        with store.transaction(engine) as conn:
            R.set_state(conn, job_id, R.WAITING, step="waiting for the clinician to sign in")
        return "wait", KEY_WAIT_SECONDS
    try:
        state = execute(vault, job_id, worker, lease=lease)
    except LeaseLost:
        _hand_back(keyring, job_id, grant)
        return "busy", lease
    except KeysLockedError:
        with store.transaction(engine) as conn:
            R.set_state(conn, job_id, R.WAITING, step="waiting for the clinician to sign in")
        return "wait", KEY_WAIT_SECONDS
    except SessionlensError as exc:
        # The session's note first, then the job's state: whoever sees "failed" also finds the note.
        _note_failure(vault, job, fail_message(exc))
        with store.transaction(engine) as conn:
            R.set_state(conn, job_id, R.FAILED, step="failed", message=fail_message(exc))
        _finish(keyring, job.owner_id, job_id)
        event("job.failed", logging.WARNING, job=job_id, worker=worker, error=type(exc).__name__)
        return R.FAILED, 0.0
    except Exception as exc:
        attempts = job.attempts + 1
        final = attempts >= MAX_ATTEMPTS
        if final:  # the note before the state, as above
            _note_failure(vault, job, fail_message(exc))
        with store.transaction(engine) as conn:
            R.set_state(conn, job_id, R.FAILED if final else R.QUEUED, step="failed" if final else "retrying",
                        message=fail_message(exc) if final else "")
        event("job.error", logging.WARNING, job=job_id, worker=worker, error=type(exc).__name__, attempt=attempts)
        if final:
            _finish(keyring, job.owner_id, job_id)
            return R.FAILED, 0.0
        _hand_back(keyring, job_id, grant)
        return "retry", backoff(attempts)
    finally:
        _forget(vault)
    if state == R.DONE:
        _finish(keyring, job.owner_id, job_id)
    elif state not in R.FINAL:
        _hand_back(keyring, job_id, grant)
    return state, 0.0


class InProcessRunner:
    """Runs jobs on threads of this process, with the same leases, checkpoints, waiting and back-off."""

    def __init__(self, engine: Engine, settings: Settings, keyring: Keyring, threads: int = 1) -> None:
        self.engine, self.settings, self.keyring = engine, settings, keyring
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="sl-runner")
        self._stop = threading.Event()
        self.worker = worker_name() + ":inproc"

    def dispatch(self, job_id: str) -> None:
        self._pool.submit(self._loop, job_id)

    def _loop(self, job_id: str) -> None:
        while not self._stop.is_set():
            try:
                outcome, wait = run_once(self.engine, self.settings, self.keyring, job_id, self.worker)
            except Exception as exc:  # noqa: BLE001 - e.g. the database briefly unreachable: back off
                event("job.error", logging.WARNING, job=job_id, error=type(exc).__name__)
                outcome, wait = "retry", backoff(1)
            if outcome in R.FINAL or outcome == "moved":
                return
            if self._stop.wait(wait):
                return

    def shutdown(self) -> None:
        self._stop.set()
        self._pool.shutdown(wait=True, cancel_futures=True)


class CeleryRunner:
    """Publishes job ids to the queue of the worker each job's grant is sealed to; that worker runs it.

    Given the web's keyring, it also sends a job whenever the keyring seals its grant anew (a sign-in
    re-granting a waiting job, perhaps to another worker). One message per (job, worker) until the job ends."""

    def __init__(self, settings: Settings, keyring: RedisKeyring | None = None) -> None:
        from ..services.keyring import broker_url
        from .celery_app import make_app

        self.app, self.base = make_app(settings), base_queue()
        self.keyring = keyring if keyring is not None else RedisKeyring(broker_url(settings))
        if keyring is not None:
            keyring.on_route = self.dispatch

    def dispatch(self, job_id: str) -> None:
        wid = self.keyring.route(job_id)
        if wid is None:  # no grant (no keys, or no live approved worker): the job waits, named in its step
            event("job.not_sent", job=job_id, reason="no approved worker holds its grant")
            return
        if not self.keyring.claim_dispatch(job_id, wid):
            return
        try:
            self.app.send_task("sessionlens.run_job", args=[job_id], queue=queue_of(wid, self.base))
        except Exception as exc:  # noqa: BLE001 - e.g. the worker made its own queue key a non-list: that job
            self.keyring.unclaim_dispatch(job_id)  # waits (a later sign-in sends it); the request goes on
            event("job.not_sent", logging.WARNING, job=job_id, reason=type(exc).__name__)


def wait_for(engine: Engine, job_id: str, timeout: float = 120.0, states: tuple[str, ...] = (R.DONE, R.FAILED)) \
        -> R.JobRow:
    """Poll until the job reaches one of ``states`` (CLI, tests, benchmark)."""
    deadline = time.monotonic() + timeout
    while True:
        with store.transaction(engine) as conn:
            job = R.get(conn, job_id)
        if job is not None and job.state in states:
            return job
        if time.monotonic() > deadline:
            raise TimeoutError(f"job {job_id} is still {job.state if job else 'missing'}")
        time.sleep(0.1)
