"""Use cases: sessions — import (through :mod:`.pipeline`), attach media, list, show, delete, share.

An import is one transaction: the session row, its sealed original bytes, transcript and
analysis document, and the audit entry commit together or not at all. Processing runs under
the network guard and before the transaction, so no lock is held while analysing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.exc import OperationalError

from ..errors import ConsentError, InputError
from ..logs import event
from ..vault import accounts, audit_batch, blobs, records, share_keys, signing
from ..vault.roles import Role
from ..vault.blobs import BlobKind
from ..vault.ids import new_id, now_iso
from ..vault.models import clients, sessions, shares
from ..payloads.services_session_meta import SessionMeta, SessionSummary
from ..payloads.services_sessions import (MediaAttached, SessionDeleted, SessionImported, SessionShared, SessionShown,
                                          SessionUnshared)
from .accounts import supervisor_named
from .consent import current_consent
from .headlines import Headline, headline, keep
from .context import Ctx
from .permissions import Action, Refused, client_row, require, session_row, share_fields, shared_with, unit_of_work
from .pipeline import process_transcript, put_record


def import_session(ctx: Ctx, client_id: str, data: bytes, *, source: str, fmt: str | None = None,
                   therapist: Sequence[str] = ()) -> SessionImported:
    """Import a transcript file's bytes for a client with recorded consent; everything is stored sealed."""
    return process_transcript(ctx, client_id, data, source=source, fmt=fmt, therapist=therapist)


def attach_media(ctx: Ctx, session_id: str, data: bytes, kind: BlobKind = BlobKind.AUDIO) -> MediaAttached:
    """Store media (audio) for a session; retention removes it once a transcript exists."""
    if not kind.is_media:
        raise InputError(f"{kind.value} is not a media kind")
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.MEDIA_ATTACH, session_id)
        info = put_record(ctx, conn, row, kind, data)
        ctx.vault.audit(conn, actor=ctx.who, action="media.attach", target=info.id,
                        detail={"session": session_id, "kind": kind.value, "bytes": len(data)})
    return {"id": info.id, "session": session_id, "kind": kind.value}


def _summary(ctx: Ctx, conn: Connection, row: Any) -> SessionSummary:
    meta = cast(SessionMeta, records.open_row(ctx.vault, conn, "sessions", row))
    if ctx.role is Role.SUPERVISOR:
        meta.pop("source_name", None)  # a file name may identify the client
    return {"id": row.id, "client": row.client_id, "created_at": row.created_at, **meta}


def list_sessions(ctx: Ctx, client_id: str | None = None) -> list[SessionSummary]:
    """Clinicians: their clients' sessions. Supervisors: sessions shared with them."""
    with unit_of_work(ctx) as conn:
        require(ctx, Action.SESSION_LIST)
        q = select(sessions).order_by(sessions.c.created_at, sessions.c.id)
        if ctx.role is Role.CLINICIAN:
            if client_id is not None:
                client_row(ctx, conn, Action.SESSION_LIST, client_id)
                q = q.where(sessions.c.client_id == client_id)
            q = q.where(sessions.c.client_id.in_(select(clients.c.id).where(clients.c.owner_id == ctx.actor.id)))
        else:
            q = q.where(sessions.c.id.in_(select(shares.c.session_id).where(shares.c.grantee_id == ctx.actor.id)))
            if client_id is not None:
                q = q.where(sessions.c.client_id == client_id)
        # A supervisor's list names only sessions whose share verifies (MAC and signature): a refused one is audited.
        out = [_summary(ctx, conn, r) for r in conn.execute(q).all()
               if ctx.role is Role.CLINICIAN or shared_with(ctx, conn, r.id, ctx.actor.id)]
        ctx.vault.audit(conn, actor=ctx.who, action="session.list", target=client_id or "-",
                        detail={"count": len(out)})
    return out


def show_session(ctx: Ctx, session_id: str) -> SessionShown:
    """Session metadata, its stored records and headline metrics (no utterance text)."""
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.SESSION_SHOW, session_id)
        kept = [b for b in blobs.list_for_session(conn, session_id) if b.kind is not BlobKind.HEADLINE]
        out = cast(SessionShown, _summary(ctx, conn, row))  # the summary, its records and metrics added here
        out["records"] = [{"id": b.id, "kind": b.kind.value, "bytes": b.size} for b in kept]
        if (found := headline(ctx, conn, row)) is not None:
            out["metrics"] = found.metrics
        ctx.vault.audit(conn, actor=ctx.who, action="session.read", target=session_id)
    if found is not None:
        _keep_headline(ctx, session_id, found)
    return out


def _keep_headline(ctx: Ctx, session_id: str, found: Headline) -> None:
    """Best effort: a headline record that cannot be written now is rebuilt at a later read."""
    if found.kept:
        return
    try:
        with audit_batch.writing(), ctx.vault.transaction() as conn:
            keep(ctx, conn, session_row(ctx, conn, Action.SESSION_SHOW, session_id), found)
    except (OperationalError, Refused) as exc:  # busy, or deleted meanwhile: the next read tries again
        event("headline.deferred", error=type(exc).__name__)


def delete_session(ctx: Ctx, session_id: str) -> SessionDeleted:
    with unit_of_work(ctx) as conn:
        session_row(ctx, conn, Action.SESSION_DELETE, session_id)
        receipt = delete_session_rows(ctx, conn, session_id, reason="requested")
    return receipt


def delete_session_rows(ctx: Ctx, conn: Connection, session_id: str, *, reason: str) -> SessionDeleted:
    """Delete a session's blobs, shares and row; one audit receipt per deleted record."""
    for info in blobs.list_for_session(conn, session_id):
        blobs.remove(conn, info.id)
        ctx.vault.audit(conn, actor=ctx.who, action="delete.blob", target=info.id,
                        detail={"session": session_id, "kind": info.kind.value, "bytes": info.size, "reason": reason})
    conn.execute(delete(shares).where(shares.c.session_id == session_id))
    conn.execute(delete(sessions).where(sessions.c.id == session_id))
    ctx.vault.audit(conn, actor=ctx.who, action="delete.session", target=session_id, detail={"reason": reason})
    return {"id": session_id, "deleted": True, "reason": reason}


def share_session(ctx: Ctx, session_id: str, username: str) -> SessionShared:
    """Share a session with a supervisor; needs the client's consent to supervision."""
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.SESSION_SHARE, session_id)
        consent = current_consent(ctx.vault, conn, row.client_id)
        if consent is None or "supervision" not in consent["scopes"]:
            raise Refused(ConsentError(f"client {row.client_id} has not consented to supervision"),
                          Action.SESSION_SHARE.value, session_id)
        grantee = supervisor_named(ctx, conn, username)
        values = {"id": new_id("share"), "session_id": session_id, "grantee_id": grantee.id,
                  "granted_by": ctx.actor.id, "created_at": now_iso()}
        if not conn.execute(select(shares.c.id).where(shares.c.session_id == session_id,
                                                      shares.c.grantee_id == grantee.id)).first():
            mac = ctx.vault.row_mac("shares", values["id"], share_fields(values))
            conn.execute(insert(shares).values(**values, mac=mac))
            # The client's DEK sealed to the supervisor's own (pinned) key: readable while its clinician is away.
            share_keys.seal_for(ctx.vault, conn, values["id"], grantee.id, row.key_id, row.key_version)
            signing.sign_share(ctx.vault, conn, values)  # by the clinician granting it (vault/signing.py)
        ctx.vault.audit(conn, actor=ctx.who, action="session.share", target=session_id,
                        detail={"with": grantee.id})
    return {"session": session_id, "shared_with": username}


def unshare_session(ctx: Ctx, session_id: str, username: str) -> SessionUnshared:
    with unit_of_work(ctx) as conn:
        session_row(ctx, conn, Action.SESSION_SHARE, session_id)
        grantee = accounts.get(ctx.vault, conn, username)
        conn.execute(delete(shares).where(shares.c.session_id == session_id, shares.c.grantee_id == grantee.id))
        ctx.vault.audit(conn, actor=ctx.who, action="session.unshare", target=session_id,
                        detail={"with": grantee.id})
    return {"session": session_id, "unshared": username}
