"""Use case: retention. Deletes what policy says is no longer needed, leaving one receipt per record.

* ``retention_audio = after_transcription`` (default): a session's audio goes once its
  transcript is stored (transcription succeeded);
* ``retention_days = N > 0``: whole sessions older than N days go.

Clinicians apply it to their own clients; admins to every client (they see ids, never content).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, select

from ..vault import blobs
from ..vault.accounts import Role
from ..vault.blobs import BlobKind
from ..vault.ids import iso, now
from ..vault.models import blobs as blob_table
from ..vault.models import clients, sessions
from .context import Ctx
from .permissions import Action, require, unit_of_work
from .sessions import delete_session_rows


def _in_scope(ctx: Ctx, q):  # type: ignore[no-untyped-def]
    if ctx.role is Role.CLINICIAN:
        return q.where(sessions.c.client_id.in_(select(clients.c.id).where(clients.c.owner_id == ctx.actor.id)))
    return q


def _expired_audio(ctx: Ctx, conn: Connection, session_id: str | None = None) -> list[Any]:
    transcribed = select(blob_table.c.session_id).where(blob_table.c.kind == BlobKind.TRANSCRIPT.value)
    q = select(blob_table.c.id, blob_table.c.session_id, blob_table.c.kind, blob_table.c.size).where(
        blob_table.c.kind == BlobKind.AUDIO.value, blob_table.c.session_id.in_(transcribed))
    if session_id is not None:
        q = q.where(blob_table.c.session_id == session_id)
    if ctx.role is Role.CLINICIAN:
        mine = select(clients.c.id).where(clients.c.owner_id == ctx.actor.id)
        q = q.where(blob_table.c.client_id.in_(mine))
    return conn.execute(q.order_by(blob_table.c.id)).all()


def after_transcription(ctx: Ctx, conn: Connection, session_id: str | None = None) -> list[dict[str, Any]]:
    """Delete audio whose transcript exists, if the policy says so; call it in the transaction that
    stores a transcript (the import does), so audio never outlives a successful transcription."""
    receipts: list[dict[str, Any]] = []
    if ctx.vault.settings.retention_audio != "after_transcription":
        return receipts
    for row in _expired_audio(ctx, conn, session_id):
        blobs.remove(conn, row.id)
        entry = ctx.vault.audit(conn, actor=ctx.who, action="delete.blob", target=row.id, detail={
            "session": row.session_id, "kind": row.kind, "bytes": row.size,
            "reason": "retention:audio_after_transcription"})
        receipts.append({"record": row.id, "kind": row.kind, "audit_seq": entry.seq})
    return receipts


def apply_retention(ctx: Ctx) -> dict[str, Any]:
    settings = ctx.vault.settings
    receipts: list[dict[str, Any]] = []
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
