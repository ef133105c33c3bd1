"""Use cases: see the processing workers, approve one, revoke one (admin; practice server).

A worker gets job grants only once its key is on the approved list that the audit anchor key signs
(``vault.worker_approvals``). ``sessionlens worker id`` (no Redis needed) and ``sessionlens worker`` at
start print its id, key fingerprint and public key; the admin compares the fingerprint and approves the key
here — given on the command line (a public key, no secret), or as the running worker announces it in Redis.
Then the worker gets its own Redis user (``services.redis_acl``). Both approval and revocation are audited.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..payloads.services_workers import WorkerShown
from ..vault import job_rows as R
from ..vault import worker_approvals
from . import worker_registry
from .context import Ctx
from .keyring import NO_WORKER_STEP, RedisKeyring
from .permissions import Action, require, unit_of_work


def _anchor_dir(ctx: Ctx) -> Path:
    return ctx.vault.anchor_path.parent


def _queued(keyring: RedisKeyring, wid: str) -> int:
    """-1: its queue is not a list (only the worker itself can have done that)."""
    found = worker_registry.queued(keyring.client, wid)
    return -1 if found is None else found


def list_workers(ctx: Ctx, *, keyring: RedisKeyring) -> list[WorkerShown]:
    """Every approved or announcing worker: approved, live (with the approved key), messages queued."""
    with unit_of_work(ctx):
        require(ctx, Action.VAULT_MANAGE)
    approved = worker_approvals.read(_anchor_dir(ctx))
    live = worker_registry.announced(keyring.client, keyring.prefix)
    shown: list[WorkerShown] = []
    for wid in sorted(set(approved) | set(live)):
        seen, ok = live.get(wid), approved.get(wid)
        public = seen.public if seen else bytes.fromhex(ok["public"]) if ok else b""
        shown.append(WorkerShown(id=wid, name=seen.name if seen else ok["name"] if ok else "",
                                 fingerprint=worker_approvals.fingerprint(public), approved=ok is not None,
                                 live=seen is not None, queued=_queued(keyring, wid)))
    return shown


def approve_worker(ctx: Ctx, worker_id: str, *, keyring: RedisKeyring, public: bytes | None = None,
                   name: str = "") -> WorkerShown:
    """Put a worker's key on the signed approved list: ``public`` (what `sessionlens worker id` printed; it
    must be the key of ``worker_id``), else the key the running worker announces now."""
    with unit_of_work(ctx) as conn:
        require(ctx, Action.VAULT_MANAGE, worker_id)
        seen = _key_of(keyring, worker_id, public, name)
        worker_approvals.approve(_anchor_dir(ctx), seen.public, seen.name, ctx.who)
        ctx.vault.audit(conn, actor=ctx.who, action="worker.approve", target=worker_id,
                        detail={"fingerprint": worker_approvals.fingerprint(seen.public)})
    return WorkerShown(id=worker_id, name=seen.name, fingerprint=worker_approvals.fingerprint(seen.public),
                       approved=True, live=worker_id in worker_registry.announced(keyring.client, keyring.prefix),
                       queued=_queued(keyring, worker_id))


def _key_of(keyring: RedisKeyring, worker_id: str, public: bytes | None, name: str) -> worker_registry.Announced:
    if public is not None:
        if worker_approvals.worker_id(public) != worker_id:
            raise InputError(f"that public key is not worker {worker_id}'s (its id would be "
                             f"{worker_approvals.worker_id(public)})")
        return worker_registry.Announced(worker_id, public, name or worker_id)
    seen = worker_registry.announced(keyring.client, keyring.prefix).get(worker_id)
    if seen is None:
        raise InputError(f"worker {worker_id} is not running: give its key (--public-key, from `sessionlens "
                         "worker id`), or start it and approve it while it runs")
    return seen


def revoke_worker(ctx: Ctx, worker_id: str, *, keyring: RedisKeyring) -> str:
    """Take a worker off the approved list: it is sealed no new grant, and the grants waiting for it are
    dropped (their jobs are sealed for another worker); a grant it already took lapses with its job."""
    with unit_of_work(ctx) as conn:
        require(ctx, Action.VAULT_MANAGE, worker_id)
        if not worker_approvals.revoke(_anchor_dir(ctx), worker_id):
            raise InputError(f"worker {worker_id} is not on the approved list")
        dropped = keyring.drop_routes_to(worker_id)
        for job_id in dropped:  # the web's sweep seals them for another worker while their clinician is in
            R.set_state(conn, job_id, R.WAITING, step=NO_WORKER_STEP, release=False)
        ctx.vault.audit(conn, actor=ctx.who, action="worker.revoke", target=worker_id,
                        detail={"grants_dropped": len(dropped)})
    return worker_id
