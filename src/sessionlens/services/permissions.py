"""Who may do what. The services are the only callers; the CLI and web never check permissions.

Two levels:

* **role** — may this kind of account take this action at all? If not: PermissionDeniedError
  (the action exists, the account may know it exists, it is just not theirs).
* **record** — may this account see this client / session? If not: NotFoundError, deliberately
  indistinguishable from a record that does not exist. Both are written to the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.engine import Row

from ..errors import IntegrityError, NotFoundError, PermissionDeniedError, SessionlensError
from ..vault import signing
from ..vault.audit_batch import deferred
from ..vault.roles import Role
from ..vault.models import client_keys, clients, sessions, shares
from ..vault.vault import acting_as
from .context import Ctx

C, S, A = Role.CLINICIAN, Role.SUPERVISOR, Role.ADMIN
OWNER = "owner"  # the vault owner, whatever their role


class Action(str, Enum):
    ACCOUNT_MANAGE = "account.manage"
    VAULT_MANAGE = "vault.manage"
    CLIENT_ADD = "client.add"
    CLIENT_LIST = "client.list"
    CLIENT_SHOW = "client.show"
    CLIENT_SHRED = "client.shred"
    CONSENT_WRITE = "consent.write"
    CONSENT_READ = "consent.read"
    SESSION_IMPORT = "session.import"
    SESSION_LIST = "session.list"
    SESSION_SHOW = "session.show"
    SESSION_DELETE = "session.delete"
    SESSION_SHARE = "session.share"
    MEDIA_ATTACH = "media.attach"
    ANALYSIS_READ = "analysis.read"
    TRANSCRIPT_READ = "transcript.read"
    NOTE_WRITE = "note.write"
    NOTE_READ = "note.read"
    EXPORT = "export"
    RETENTION_APPLY = "retention.apply"
    BACKUP = "backup"
    AUDIT_VERIFY = "audit.verify"
    VOICE_ENROLL = "voice.enroll"
    VOICE_READ = "voice.read"
    VOICE_FORGET = "voice.forget"
    REFLECTION_WRITE = "reflection.write"
    REFLECTION_READ = "reflection.read"
    MARKERS_READ = "markers.read"
    PACKET_WRITE = "packet.write"
    PACKET_OPEN = "packet.open"
    DEIDENTIFY = "deidentify"


POLICY: dict[Action, frozenset[object]] = {
    Action.ACCOUNT_MANAGE: frozenset({A, OWNER}),
    Action.VAULT_MANAGE: frozenset({A, OWNER}),
    Action.CLIENT_ADD: frozenset({C}),
    Action.CLIENT_LIST: frozenset({C}),
    Action.CLIENT_SHOW: frozenset({C}),
    Action.CLIENT_SHRED: frozenset({C}),
    Action.CONSENT_WRITE: frozenset({C}),
    Action.CONSENT_READ: frozenset({C}),
    Action.SESSION_IMPORT: frozenset({C}),
    Action.SESSION_LIST: frozenset({C, S}),
    Action.SESSION_SHOW: frozenset({C, S}),
    Action.SESSION_DELETE: frozenset({C}),
    Action.SESSION_SHARE: frozenset({C}),
    Action.MEDIA_ATTACH: frozenset({C}),
    Action.ANALYSIS_READ: frozenset({C, S}),
    Action.TRANSCRIPT_READ: frozenset({C, S}),
    Action.NOTE_WRITE: frozenset({C}),
    Action.NOTE_READ: frozenset({C, S}),
    Action.EXPORT: frozenset({C}),
    Action.RETENTION_APPLY: frozenset({C, A}),
    Action.BACKUP: frozenset({A, OWNER}),
    Action.AUDIT_VERIFY: frozenset({C, A, OWNER}),
    # The clinician's own voiceprint (biometric), used to label them in their sessions: theirs alone.
    Action.VOICE_ENROLL: frozenset({C}),
    Action.VOICE_READ: frozenset({C}),
    Action.VOICE_FORGET: frozenset({C}),
    # Reflection (impressions, journal, measures, check-ins, trends) is the clinician's own; relationship
    # markers are session data a supervisor may see on a shared session; packets are opened by supervisors.
    Action.REFLECTION_WRITE: frozenset({C}),
    Action.REFLECTION_READ: frozenset({C}),
    Action.MARKERS_READ: frozenset({C, S}),
    Action.PACKET_WRITE: frozenset({C}),
    Action.PACKET_OPEN: frozenset({S}),
    # De-identifying a file the user brings (nothing stored): any signed-in account, audited.
    Action.DEIDENTIFY: frozenset({C, S, A, OWNER}),
}


class Refused(Exception):
    """Internal: a refusal to audit in its own transaction, then re-raise as ``public``."""

    def __init__(self, public: SessionlensError, action: str, target: str) -> None:
        super().__init__(str(public))
        self.public, self.action, self.target = public, action, target


def allowed(ctx: Ctx, action: Action) -> bool:
    grants = POLICY[action]
    return ctx.role in grants or (ctx.actor.is_owner and OWNER in grants)


def require(ctx: Ctx, action: Action, target: str = "-") -> None:
    if not allowed(ctx, action):
        raise Refused(PermissionDeniedError(f"a {ctx.role.value} account may not {action.value}"),
                      action.value, target)


def _not_found(action: Action, record_id: str) -> Refused:
    return Refused(NotFoundError(f"record {record_id} not found"), action.value, record_id)


def client_row(ctx: Ctx, conn: Connection, action: Action, client_id: str) -> Row[*tuple[Any, ...]]:
    """The client row if the actor owns it; otherwise not found."""
    require(ctx, action, client_id)
    row = conn.execute(select(clients).where(clients.c.id == client_id)).first()
    if row is None or row.owner_id != ctx.actor.id or not _key_holder(conn, row.key_id, ctx.actor.id):
        raise _not_found(action, client_id)
    return row


def _key_holder(conn: Connection, key_id: str, account_id: str) -> bool:
    """clients.owner_id is a plain column anyone with database write can change; on a practice server the
    account whose KEK wraps the client's DEK (authenticated: no other KEK unwraps it) must agree with it."""
    wrapped_by = conn.execute(select(client_keys.c.wrapped_by).where(client_keys.c.key_id == key_id)).scalar()
    return wrapped_by is None or wrapped_by == account_id


def session_row(ctx: Ctx, conn: Connection, action: Action, session_id: str) -> Row[*tuple[Any, ...]]:
    """The session row if the actor owns its client, or (supervisor) it was shared with them."""
    require(ctx, action, session_id)
    row = conn.execute(select(sessions).where(sessions.c.id == session_id)).first()
    if row is None:
        raise _not_found(action, session_id)
    if ctx.role is Role.CLINICIAN:
        client = conn.execute(select(clients.c.owner_id, clients.c.key_id).where(clients.c.id == row.client_id)).first()
        if client is not None and client.owner_id == ctx.actor.id and _key_holder(conn, client.key_id, ctx.actor.id):
            return row
    elif ctx.role is Role.SUPERVISOR and shared_with(ctx, conn, session_id, ctx.actor.id):
        return row
    raise _not_found(action, session_id)


def share_fields(row: Row[*tuple[Any, ...]] | dict[str, str]) -> dict[str, str]:
    m = row if isinstance(row, dict) else row._mapping
    return {k: m[k] for k in ("session_id", "grantee_id", "granted_by", "created_at")}


def shared_with(ctx: Ctx, conn: Connection, session_id: str, account_id: str) -> bool:
    """Whether a (MAC-verified) share exists: a share row forged on disk is an IntegrityError, not access."""
    q = select(shares).where(shares.c.session_id == session_id, shares.c.grantee_id == account_id)
    row = conn.execute(q).first()
    if row is None:
        return False
    ctx.vault.check_row_mac("shares", row.id, share_fields(row), row.mac)
    try:  # signed by the clinician who owns the client, as the grantee's own trusted root says
        signing.check_share(ctx.vault, conn, row, ctx.actor.id)
    except IntegrityError as exc:
        raise Refused(exc, "share.verify", session_id) from None
    return True


def _signed_role(ctx: Ctx, conn: Connection) -> None:
    """The actor's role row is the one its admin signed (checked on every unit of work, not only at sign-in:
    a row rewritten while the account is signed in is refused at its next request). Within one read request
    it is checked once: a page makes several units of work, and each check costs ~5 queries on PostgreSQL."""
    request = deferred()
    if request is not None and ctx.actor.id in request.roles_checked:
        return
    try:
        signing.check_role(ctx.vault, conn, ctx.actor.id, ctx.actor.id)
    except IntegrityError as exc:
        raise Refused(exc, "role.verify", ctx.actor.id) from None
    if request is not None:
        request.roles_checked.add(ctx.actor.id)


def _why(error: SessionlensError) -> dict[str, str]:
    return {"reason": "signature"} if isinstance(error, IntegrityError) and "signature" in str(error) else {}


@contextmanager
def unit_of_work(ctx: Ctx) -> Iterator[Connection]:
    """One transaction; a refusal rolls it back, is audited in a transaction of its own, then raised."""
    try:
        with acting_as(ctx.actor.id), ctx.vault.transaction() as conn:
            _signed_role(ctx, conn)
            yield conn
    except Refused as refused:
        with ctx.vault.transaction() as conn:
            ctx.vault.audit(conn, actor=ctx.who, action=f"refused:{refused.action}", target=refused.target,
                            detail={"error": type(refused.public).__name__, **_why(refused.public)})
        raise refused.public from None
