"""Use case: retention. Deletes what policy says is no longer needed, leaving one audit receipt per record.

A session's audio follows its client's policy (chosen per client, else the ``retention_audio`` setting):

* ``until_signed`` (default): kept so the review page can play it while the clinician corrects speakers
  and edits the note; deleted in the transaction that signs the note;
* ``after_transcription``: deleted in the transaction that stores the transcript;
* ``keep``: kept until the session or client is deleted.

``retention_days = N > 0`` deletes whole sessions older than N days. Clinicians apply retention to
their own clients; admins to every client (they see ids, never content). A client whose policy cannot
be read here (its keys are not in memory) keeps its audio: nothing is deleted on a guess.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Final

from sqlalchemy import Connection, Select, select, update

from ..errors import InputError, SessionlensError
from ..payloads.services_retention import ClientRetention, ClientRetentionSet, DeletionReceipt, RetentionApplied
from ..vault import blobs, records
from ..vault.roles import Role
from ..vault.blobs import BlobKind
from ..vault.ids import iso, now
from ..vault.models import blobs as blob_table
from ..vault.models import clients, sessions
from .clients import profile_of
from .context import Ctx
from .permissions import Action, client_row, require, unit_of_work
from .sessions import delete_session_rows

POLICIES = ("until_signed", "after_transcription", "keep")
FIELD: Final = "audio_retention"  # in the client's sealed record


def _in_scope(ctx: Ctx, q: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    if ctx.role is Role.CLINICIAN:
        return q.where(sessions.c.client_id.in_(select(clients.c.id).where(clients.c.owner_id == ctx.actor.id)))
    return q


def policy_of(ctx: Ctx, conn: Connection, client_id: str) -> str | None:
    """The client's audio policy, or None when its record cannot be opened here."""
    row = conn.execute(select(clients).where(clients.c.id == client_id)).first()
    if row is None:
        return None
    try:
        profile = profile_of(ctx, conn, row)
    except SessionlensError:
        return None
    return str(profile.get(FIELD) or ctx.vault.settings.retention_audio)


def client_policy(ctx: Ctx, client_id: str) -> ClientRetention:
    with unit_of_work(ctx) as conn:
        client_row(ctx, conn, Action.CONSENT_READ, client_id)
        row = conn.execute(select(clients).where(clients.c.id == client_id)).one()
        chosen = profile_of(ctx, conn, row).get(FIELD)
    return {"client": client_id, "audio": chosen or ctx.vault.settings.retention_audio, "chosen": bool(chosen)}


def set_client_policy(ctx: Ctx, client_id: str, policy: str) -> ClientRetentionSet:
    """The client's own audio policy (audited); audio it no longer allows goes now, with receipts."""
    with unit_of_work(ctx) as conn:
        row = client_row(ctx, conn, Action.CONSENT_WRITE, client_id)
        if policy not in POLICIES:
            raise InputError(f"audio retention must be one of: {', '.join(POLICIES)}")
        profile = profile_of(ctx, conn, row)
        profile[FIELD] = policy
        conn.execute(update(clients).where(clients.c.id == client_id).values(
            sealed=records.seal_row(ctx.vault, conn, "clients", row._mapping, profile)))
        ctx.vault.audit(conn, actor=ctx.who, action="retention.policy", target=client_id, detail={"audio": policy})
        receipts = after_transcription(ctx, conn, client_id=client_id)
    return {"client": client_id, "audio": policy, "deleted": receipts}


def _audio_rows(ctx: Ctx, conn: Connection, *, session_id: str | None = None, client_id: str | None = None,
                transcribed: bool = True) -> list[Any]:
    q = select(blob_table.c.id, blob_table.c.client_id, blob_table.c.session_id, blob_table.c.kind,
               blob_table.c.size).where(blob_table.c.kind == BlobKind.AUDIO.value)
    if transcribed:
        done = select(blob_table.c.session_id).where(blob_table.c.kind == BlobKind.TRANSCRIPT.value)
        q = q.where(blob_table.c.session_id.in_(done))
    if session_id is not None:
        q = q.where(blob_table.c.session_id == session_id)
    if client_id is not None:
        q = q.where(blob_table.c.client_id == client_id)
    if ctx.role is Role.CLINICIAN:
        q = q.where(blob_table.c.client_id.in_(select(clients.c.id).where(clients.c.owner_id == ctx.actor.id)))
    return list(conn.execute(q.order_by(blob_table.c.id)).all())


def _delete(ctx: Ctx, conn: Connection, rows: list[Any], allowed: tuple[str, ...], reason: str) \
        -> list[DeletionReceipt]:
    receipts: list[DeletionReceipt] = []
    policies: dict[str, str | None] = {}
    for row in rows:
        if row.client_id not in policies:
            policies[row.client_id] = policy_of(ctx, conn, row.client_id)
        if policies[row.client_id] not in allowed:
            continue
        blobs.remove(conn, row.id)
        entry = ctx.vault.audit(conn, actor=ctx.who, action="delete.blob", target=row.id, detail={
            "session": row.session_id, "kind": row.kind, "bytes": row.size, "reason": reason})
        receipts.append({"record": row.id, "kind": row.kind, "audit_seq": entry.seq})
    return receipts


def after_transcription(ctx: Ctx, conn: Connection, session_id: str | None = None, *,
                        client_id: str | None = None) -> list[DeletionReceipt]:
    """Delete transcribed audio of clients whose policy is ``after_transcription``; called in the
    transaction that stores a transcript (the import does), so such audio never outlives it."""
    rows = _audio_rows(ctx, conn, session_id=session_id, client_id=client_id)
    return _delete(ctx, conn, rows, ("after_transcription",), "retention:audio_after_transcription")


def after_signing(ctx: Ctx, conn: Connection, session_id: str) -> list[DeletionReceipt]:
    """The note of ``session_id`` was just signed (same transaction): its audio goes unless the client keeps it."""
    rows = _audio_rows(ctx, conn, session_id=session_id, transcribed=False)
    return _delete(ctx, conn, rows, ("until_signed", "after_transcription"), "retention:audio_until_signed")


def apply_retention(ctx: Ctx) -> RetentionApplied:
    settings = ctx.vault.settings
    receipts: list[DeletionReceipt] = []
    with unit_of_work(ctx) as conn:
        require(ctx, Action.RETENTION_APPLY)
        receipts += after_transcription(ctx, conn)
        if settings.retention_days > 0:
            cutoff = iso(now() - timedelta(days=settings.retention_days))
            old = conn.execute(_in_scope(ctx, select(sessions.c.id).where(sessions.c.created_at < cutoff))).scalars()
            for session_id in list(old):
                delete_session_rows(ctx, conn, session_id, reason=f"retention:{settings.retention_days}_days")
                receipts.append({"record": session_id, "kind": "session"})
        ctx.vault.audit(conn, actor=ctx.who, action="retention.apply", target="-",
                        detail={"deleted": len(receipts)})
    return {"deleted": receipts}
