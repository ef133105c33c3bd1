"""Crypto-shredding that leaves nothing that opens.

Destroying a client's wrapped DEKs makes every record sealed under them unreadable. What could still
open them is a *copy* of a wrapped DEK: job checkpoints (sealed under the same DEK, purged here),
PostgreSQL dead tuples and WAL, a SQLite WAL a busy checkpoint left behind (store.compact pushes both
out and checks the result), and a backup older than the shred (backup restore re-applies every shred
the audit anchor lists, :func:`reapply`). On a practice server the clinician's account KEK rotates too
(tenancy.rotate_after_shred), so a surviving copy is wrapped by a key that no longer exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Connection, delete, select

from ..payloads.vault_anchor import ShredMark
from .ids import iso, now
from .models import (
    blobs, client_keys, clients, consents, job_stages, jobs, reflections, sessions, share_keys, shares,
)

if TYPE_CHECKING:
    from .vault import Vault

CHECKPOINT_DAYS = 14  # how long a failed or cancelled job's sealed checkpoints wait for a retry


def destroy_client_keys(vault: Vault, conn: Connection, client_id: str) -> int:
    """Delete the client's DEKs and every job checkpoint sealed under them; rotate the wrapping account KEKs."""
    from . import share_keys as share_keys_module
    from . import tenancy  # local: tenancy builds on vault, which calls this

    rows = conn.execute(select(client_keys).where(client_keys.c.client_id == client_id)).all()
    key_ids = [r.key_id for r in rows]
    if key_ids:
        conn.execute(delete(job_stages).where(job_stages.c.key_id.in_(key_ids)))
        conn.execute(delete(share_keys).where(share_keys.c.key_id.in_(key_ids)))  # copies sealed to supervisors
    share_keys_module.purge_orphans(conn)
    count = conn.execute(delete(client_keys).where(client_keys.c.client_id == client_id)).rowcount
    for account in sorted({r.wrapped_by for r in rows if r.wrapped_by}):
        tenancy.rotate_after_shred(vault, conn, account)
    return count


def purge_stale_checkpoints(conn: Connection, days: int = CHECKPOINT_DAYS) -> int:
    """Sealed checkpoints (the upload included) of jobs that failed or were cancelled more than ``days`` ago.

    A failed job keeps them so a person can retry it without uploading again; after that, they are only
    a copy of the client's data waiting for a key. Called whenever a job is created.
    """
    cutoff = iso(now() - timedelta(days=days))
    stale = select(jobs.c.id).where(jobs.c.state.in_(("failed", "cancelled")), jobs.c.updated_at < cutoff)
    return conn.execute(delete(job_stages).where(job_stages.c.job_id.in_(stale))).rowcount


def delete_client(vault: Vault, conn: Connection, client_id: str) -> dict[str, int]:
    """Every row of a client and its keys: one deletion for a shred (services.clients) and its re-application
    after a restore."""
    session_ids = select(sessions.c.id).where(sessions.c.client_id == client_id)
    counts = {
        "shares": conn.execute(delete(shares).where(shares.c.session_id.in_(session_ids))).rowcount,
        "blobs": conn.execute(delete(blobs).where(blobs.c.client_id == client_id)).rowcount,
        "reflections": conn.execute(delete(reflections).where(reflections.c.client_id == client_id)).rowcount,
        "jobs": conn.execute(delete(jobs).where(jobs.c.client_id == client_id)).rowcount,
        "sessions": conn.execute(delete(sessions).where(sessions.c.client_id == client_id)).rowcount,
        "consents": conn.execute(delete(consents).where(consents.c.client_id == client_id)).rowcount,
    }
    conn.execute(delete(clients).where(clients.c.id == client_id))
    counts["keys"] = destroy_client_keys(vault, conn, client_id)
    return counts


def reapply(vault: Vault, conn: Connection, shreds: Iterable[ShredMark]) -> list[str]:
    """After a restore: shred again every listed client the restored data still holds (each audited)."""
    done = []
    for s in sorted(shreds, key=lambda s: int(s["seq"])):
        client_id = str(s["client"])
        present = conn.execute(select(client_keys.c.key_id).where(client_keys.c.client_id == client_id)).first() \
            or conn.execute(select(clients.c.id).where(clients.c.id == client_id)).first()
        if not present or client_id in done:
            continue
        receipt = delete_client(vault, conn, client_id)
        vault.audit(conn, actor="system", action="client.shred", target=client_id,
                    detail={**receipt, "reapplied": True, "first_seq": int(s["seq"])})
        done.append(client_id)
    return done
