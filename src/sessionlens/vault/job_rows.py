"""Job rows and stage checkpoints in the vault database (SQLite or PostgreSQL).

A job row holds no PHI: ids, kind, state, a step label chosen by the code, progress, timings. What a
stage produces (a transcript, an analysis document, the uploaded file itself) is a *checkpoint*: sealed
under the client's data key, bound to the job id and stage name, and deleted in the same transaction
that stores the final records. A worker owns a job through a *lease* (``lease_until``): writes are
fenced by it, so a worker that lost its lease (killed, paused past it) cannot write over a successor.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, or_, select, update

from ..payloads.services_jobs import JobPublic
from ..payloads.vault_jobs import StageDone
from . import crypto
from .ids import _ALPHABET, iso, now, now_iso
from .models import job_stages, jobs
from .vault import Vault

QUEUED, RUNNING, WAITING, DONE, FAILED = "queued", "running", "waiting_for_keys", "done", "failed"
CANCELLED = "cancelled"
ACTIVE = (QUEUED, RUNNING, WAITING)
FINAL = (DONE, FAILED, CANCELLED)  # a runner stops at these; only a person's retry moves a failed job on


def new_job_id() -> str:
    return "j-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


@dataclass(frozen=True, slots=True)
class JobRow:
    id: str
    owner_id: str
    kind: str
    client_id: str
    session_id: str | None
    state: str
    step: str
    progress: float
    attempts: int
    worker: str | None
    created_at: str
    updated_at: str
    message: str
    history: list[StageDone]

    def public(self) -> JobPublic:
        """What the owner may see (web, CLI): no PHI."""
        return {"id": self.id, "state": self.state, "step": self.step, "progress": round(self.progress, 2),
                "session": self.session_id, "message": self.message, "kind": self.kind, "attempts": self.attempts,
                "created_at": self.created_at, "updated_at": self.updated_at,
                "stages": [h["stage"] for h in self.history]}


def _row(r: Any) -> JobRow:
    return JobRow(r.id, r.owner_id, r.kind, r.client_id, r.session_id, r.state, r.step, r.progress / 1000,
                  r.attempts, r.worker, r.created_at, r.updated_at, r.message, json.loads(r.history))


def create(conn: Connection, *, owner_id: str, kind: str, client_id: str, session_id: str | None) -> str:
    job_id, at = new_job_id(), now_iso()
    conn.execute(insert(jobs).values(id=job_id, owner_id=owner_id, kind=kind, client_id=client_id,
                                     session_id=session_id, state=QUEUED, step="waiting for a worker", progress=0,
                                     attempts=0, lease_until=None, worker=None, created_at=at, updated_at=at,
                                     message="", history="[]"))
    from .shred import purge_stale_checkpoints  # local: shred builds on the vault

    purge_stale_checkpoints(conn)  # failed jobs do not keep their sealed uploads forever (issue 17)
    return job_id


def get(conn: Connection, job_id: str) -> JobRow | None:
    r = conn.execute(select(jobs).where(jobs.c.id == job_id)).first()
    return _row(r) if r else None


def for_owner(conn: Connection, owner_id: str, limit: int = 50) -> list[JobRow]:
    q = select(jobs).where(jobs.c.owner_id == owner_id).order_by(jobs.c.created_at.desc(), jobs.c.id).limit(limit)
    return [_row(r) for r in conn.execute(q)]


def active_owners(conn: Connection) -> set[str]:
    return set(conn.execute(select(jobs.c.owner_id).where(jobs.c.state.in_(ACTIVE))).scalars())


def claim(conn: Connection, job_id: str, worker: str, lease_seconds: float) -> bool:
    """Take the job unless another worker holds a live lease; counts the attempt."""
    at = now()
    free = or_(jobs.c.lease_until.is_(None), jobs.c.lease_until < iso(at), jobs.c.worker == worker)
    result = conn.execute(update(jobs).where(and_(jobs.c.id == job_id, jobs.c.state.in_(ACTIVE), free)).values(
        state=RUNNING, worker=worker, lease_until=iso(at + timedelta(seconds=lease_seconds)),
        attempts=jobs.c.attempts + 1, updated_at=iso(at)))
    return result.rowcount == 1


def renew(conn: Connection, job_id: str, worker: str, lease_seconds: float, **values: Any) -> bool:
    """Extend the lease (and set step/progress); False when this worker no longer holds the job."""
    at = now()
    if "progress" in values:
        values["progress"] = int(round(values["progress"] * 1000))
    result = conn.execute(update(jobs).where(jobs.c.id == job_id, jobs.c.worker == worker, jobs.c.state == RUNNING)
                          .values(lease_until=iso(at + timedelta(seconds=lease_seconds)), updated_at=iso(at),
                                  **values))
    return result.rowcount == 1


def set_state(conn: Connection, job_id: str, state: str, *, step: str | None = None, message: str | None = None,
              release: bool = True) -> None:
    values: dict[str, str | int | None] = {"state": state, "updated_at": now_iso()}
    if step is not None:
        values["step"] = step
    if message is not None:
        values["message"] = message[:300]
    if release:
        values.update(worker=None, lease_until=None)
    if state == DONE:
        values["progress"] = 1000
    conn.execute(update(jobs).where(jobs.c.id == job_id).values(**values))


def cancel(conn: Connection, job_id: str) -> bool:
    """Stop an active job: a worker holding it loses its lease at its next fenced write. False if not active."""
    result = conn.execute(update(jobs).where(jobs.c.id == job_id, jobs.c.state.in_(ACTIVE)).values(
        state=CANCELLED, step="cancelled", worker=None, lease_until=None, updated_at=now_iso()))
    return result.rowcount == 1


def requeue(conn: Connection, job_id: str) -> bool:
    """A failed job queued again with a fresh count of attempts (its checkpoints are kept). False if not failed."""
    result = conn.execute(update(jobs).where(jobs.c.id == job_id, jobs.c.state == FAILED).values(
        state=QUEUED, step="waiting for a worker", message="", attempts=0, worker=None, lease_until=None,
        updated_at=now_iso()))
    return result.rowcount == 1


def add_history(conn: Connection, job_id: str, entry: StageDone) -> None:
    r = conn.execute(select(jobs.c.history).where(jobs.c.id == job_id)).scalar_one()
    conn.execute(update(jobs).where(jobs.c.id == job_id).values(history=json.dumps([*json.loads(r), entry])))


# --- sealed checkpoints -------------------------------------------------------------------------

def _aad(job_id: str, stage: str, created_at: str) -> dict[str, str]:
    return {"table": "job_stages", "job": job_id, "stage": stage, "created_at": created_at}


def save_stage(vault: Vault, conn: Connection, job_id: str, stage: str, key_id: str, key_version: int,
               data: bytes) -> None:
    created = now_iso()
    key = vault.client_key(conn, key_id, key_version)
    sealed = crypto.seal_stream(key, data, key_id=key_id, key_version=key_version, record_id=f"{job_id}:{stage}",
                                extra=_aad(job_id, stage, created))
    conn.execute(insert(job_stages).values(job_id=job_id, stage=stage, key_id=key_id, key_version=key_version,
                                           created_at=created, sealed=sealed))


def load_stage(vault: Vault, conn: Connection, job_id: str, stage: str) -> bytes | None:
    r = conn.execute(select(job_stages).where(job_stages.c.job_id == job_id, job_stages.c.stage == stage)).first()
    if r is None:
        return None
    key = vault.client_key(conn, r.key_id, r.key_version)
    return crypto.open_stream(key, r.sealed, key_id=r.key_id, key_version=r.key_version,
                              record_id=f"{job_id}:{stage}", extra=_aad(job_id, stage, r.created_at))


def stages_stored(conn: Connection, job_id: str) -> set[str]:
    return set(conn.execute(select(job_stages.c.stage).where(job_stages.c.job_id == job_id)).scalars())


def drop_stages(conn: Connection, job_id: str) -> int:
    return conn.execute(delete(job_stages).where(job_stages.c.job_id == job_id)).rowcount
