"""A durable job runs the pipeline's stages (``services.pipeline``) with a sealed checkpoint after each one.

``transcript`` jobs: input (sealed at submit) → parse → analyze → store.
``audio`` jobs (the audio is already a sealed blob of the session): transcribe → analyze → store.

A stage whose checkpoint exists is not run again (a job resumed on another worker picks up where the
last checkpoint left it). ``store`` is the pipeline's one store transaction, extended here by the job's
own rows — job ``done`` and checkpoint deletion — and fenced by the worker's lease, so a worker killed at
any moment leaves either nothing or everything. Jobs run as the clinician who approved them: the same
permission and consent checks as a request, the same audit trail.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import select, update

from ..errors import InputError, SessionlensError
from ..logs import event
from ..services import pipeline
from ..services.context import Ctx
from ..services.permissions import unit_of_work
from ..vault import accounts, store
from ..vault import job_rows as R
from ..vault.models import clients
from ..vault.models import jobs as jobs_table
from ..vault.vault import Vault

STAGES, LABELS = pipeline.STAGES, pipeline.LABELS
PAUSE_ENV = "SESSIONLENS_TEST_PAUSE_AFTER_STAGE"  # fault injection for the kill tests: "stage:seconds"


class LeaseLost(Exception):
    """Another worker took the job over (this one was too slow or presumed dead): stop without writing."""


class Heartbeat:
    """Renews the lease and publishes step/progress while a stage computes (its own connections)."""

    def __init__(self, vault: Vault, job_id: str, worker: str, lease: float) -> None:
        self.vault, self.job_id, self.worker, self.lease = vault, job_id, worker, lease
        self.step, self.progress, self.lost = "", 0.0, False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="sl-lease")

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def beat(self) -> None:
        with store.transaction(self.vault.engine) as conn:
            if not R.renew(conn, self.job_id, self.worker, self.lease, step=self.step[:64], progress=self.progress):
                self.lost = True

    def _run(self) -> None:
        while not self._stop.wait(min(self.lease / 3, 2.0)):
            try:
                self.beat()
            except Exception:  # noqa: BLE001 - a missed beat is retried; the lease covers three of them
                pass


def _fence(conn: Any, job_id: str, worker: str) -> None:
    row = conn.execute(select(jobs_table.c.worker, jobs_table.c.state).where(jobs_table.c.id == job_id)
                       .with_for_update()).first()
    if row is None or row.worker != worker or row.state != R.RUNNING:
        raise LeaseLost(job_id)


def _pause_after(stage: str) -> None:
    spec = os.environ.get(PAUSE_ENV, "")
    name, _, seconds = spec.partition(":")
    if name == stage:
        time.sleep(float(seconds or 30))


def execute(vault: Vault, job_id: str, worker: str, *, lease: float = 60.0) -> str:
    """Run (or resume) a claimed job to its end; returns the final state. Raises for the caller to retry."""
    with store.transaction(vault.engine) as conn:
        job = R.get(conn, job_id)
        if job is None or job.state not in (R.RUNNING,):
            return job.state if job else R.FAILED
        ctx = Ctx(vault, accounts.get_by_id(vault, conn, job.owner_id))
        done = R.stages_stored(conn, job_id)
    names = STAGES[job.kind]
    prev: bytes | None = None
    with Heartbeat(vault, job_id, worker, lease) as hb:
        for i, name in enumerate(names):
            hb.step, hb.progress = LABELS[name], i / len(names)
            if name == "store":
                _store(ctx, job, worker, prev, hb)
                event("job.done", job=job_id, worker=worker)
                return R.DONE
            if name in done:
                with store.transaction(vault.engine) as conn:
                    prev = R.load_stage(vault, conn, job_id, name)
                event("job.stage_skipped", job=job_id, stage=name, worker=worker)
                continue
            started = time.perf_counter()
            hb.beat()
            out = _compute(ctx, job, name, prev, hb)
            seconds = round(time.perf_counter() - started, 3)
            with store.transaction(vault.engine) as conn:
                _fence(conn, job_id, worker)
                client = conn.execute(select(clients.c.key_id, clients.c.key_version)
                                      .where(clients.c.id == job.client_id)).first()
                if client is None:
                    raise InputError("the client was deleted while the job ran")
                R.save_stage(vault, conn, job_id, name, client.key_id, client.key_version, out)
                R.add_history(conn, job_id, {"stage": name, "worker": worker, "seconds": seconds})
            event("job.stage_done", job=job_id, stage=name, worker=worker, seconds=seconds)
            prev = out
            _pause_after(name)
    return R.DONE


def _input(ctx: Ctx, conn: Any, job: R.JobRow) -> bytes:
    packed = R.load_stage(ctx.vault, conn, job.id, "input")
    if packed is None:
        raise InputError("the job's input is missing")
    return packed


def _compute(ctx: Ctx, job: R.JobRow, name: str, prev: bytes | None, hb: Heartbeat) -> bytes:
    if name == "parse":
        with store.transaction(ctx.vault.engine) as conn:
            packed = _input(ctx, conn, job)
        return pipeline.parse_stage(ctx.vault, packed)  # in a keyless child with resource limits
    if name == "transcribe":
        def report(done: float, total: float | None, stage: str) -> None:
            if hb.lost:  # cancelled, or taken over: stop transcribing now rather than at the next stage
                raise LeaseLost(job.id)
            hb.step = stage[:64]
            if total:
                hb.progress = 0.6 * min(done / total, 1.0)

        return pipeline.transcribe_stage(ctx, job.session_id or "", report)  # decoded in the sandbox first
    if name == "analyze":
        return pipeline.analyze_stage(ctx.vault, prev or b"{}")
    raise ValueError(f"unknown stage {name}")


def _store(ctx: Ctx, job: R.JobRow, worker: str, prev: bytes | None, hb: Heartbeat) -> None:
    with unit_of_work(ctx) as conn:
        _fence(conn, job.id, worker)
        if job.kind == "transcript":
            result = pipeline.store_results(ctx, conn, prev or b"{}", client_id=job.client_id, job_id=job.id,
                                            packed_input=_input(ctx, conn, job))
        else:
            result = pipeline.store_results(ctx, conn, prev or b"{}", session_id=job.session_id or "",
                                            job_id=job.id)
        R.drop_stages(conn, job.id)
        R.add_history(conn, job.id, {"stage": "store", "worker": worker, "seconds": 0})
        conn.execute(update(jobs_table).where(jobs_table.c.id == job.id).values(session_id=result["id"]))
        R.set_state(conn, job.id, R.DONE, step=f"done: {result['utterances']} utterances analysed", message="")


def fail_message(exc: BaseException) -> str:
    """A product error's own message (never PHI); anything else a generic line."""
    if isinstance(exc, SessionlensError):
        return str(exc)
    return "processing failed because of an internal error"


Progress = Callable[[float, str], None]
