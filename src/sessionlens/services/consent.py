"""Use cases: consent. Processing needs recorded consent to recording *and* automated analysis.

A consent record (sealed under the client's key) holds its scopes, the date it was given and,
once revoked, the revocation date. Revoking offers deletion: ``revoke_consent(..., delete=True)``
shreds the client in the same call; the CLI asks.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, cast

from sqlalchemy import Connection, insert, select, update

from ..errors import ConsentError, InputError
from ..payloads.services_clients import Consent, ConsentRecord, ConsentRecorded, ConsentRevoked, ConsentStatus
from ..vault import records
from ..vault.ids import new_id, now_iso
from ..vault.models import consents
from ..vault.vault import Vault
from .context import Ctx
from .permissions import Action, Refused, client_row, unit_of_work

SCOPES = ("recording", "analysis", "supervision")
DEFAULT_SCOPES = ("recording", "analysis")
PROCESSING = frozenset({"recording", "analysis"})


def _scopes(scopes: Iterable[str]) -> list[str]:
    wanted = sorted({s.strip().lower() for s in scopes if s.strip()})
    unknown = [s for s in wanted if s not in SCOPES]
    if unknown or not wanted:
        raise InputError(f"consent scopes must be among {', '.join(SCOPES)}")
    return wanted


def _rows(vault: Vault, conn: Connection, client_id: str) -> list[tuple[Any, ConsentRecord]]:
    rows = conn.execute(select(consents).where(consents.c.client_id == client_id)
                        .order_by(consents.c.created_at, consents.c.id)).all()
    # record_consent and revoke_consent are the only writers of the sealed payload
    return [(r, cast(ConsentRecord, records.open_row(vault, conn, "consents", r))) for r in rows]


def _with_id(row: Any, payload: ConsentRecord) -> Consent:
    return {**payload, "id": row.id}


def current_consent(vault: Vault, conn: Connection, client_id: str) -> Consent | None:
    """The newest consent that is not revoked, or None."""
    live = [_with_id(r, p) for r, p in _rows(vault, conn, client_id) if not p.get("revoked_on")]
    return live[-1] if live else None


def require_processing_consent(vault: Vault, conn: Connection, client_id: str) -> None:
    consent = current_consent(vault, conn, client_id)
    if consent is None or not PROCESSING <= set(consent["scopes"]):
        raise ConsentError(f"client {client_id} has no recorded consent to recording and automated analysis; "
                           f"record it first: sessionlens consent record {client_id}")


def consented(ctx: Ctx, conn: Connection, client_id: str, *, action: Action = Action.SESSION_IMPORT,
              target: str | None = None) -> None:
    """The one consent gate of a use case: no processing consent is a refusal, audited like a denial."""
    try:
        require_processing_consent(ctx.vault, conn, client_id)
    except ConsentError as exc:
        raise Refused(exc, action.value, target or client_id) from None


def record_consent(ctx: Ctx, client_id: str, scopes: Iterable[str] = DEFAULT_SCOPES,
                   given_on: date | None = None) -> ConsentRecorded:
    """Record consent (defaults: recording + analysis, today). A new record supersedes older ones."""
    given = (given_on or date.today()).isoformat()
    if given_on and given_on > date.today():
        raise InputError("consent cannot be dated in the future")
    wanted = _scopes(scopes)
    with unit_of_work(ctx) as conn:
        client = client_row(ctx, conn, Action.CONSENT_WRITE, client_id)
        row = {"id": new_id("consent"), "client_id": client_id, "key_id": client.key_id,
               "key_version": client.key_version, "created_at": now_iso()}
        payload: ConsentRecord = {"scopes": wanted, "given_on": given, "revoked_on": None, "recorded_by": ctx.actor.id}
        conn.execute(insert(consents).values(**row, sealed=records.seal_row(ctx.vault, conn, "consents", row, payload)))
        ctx.vault.audit(conn, actor=ctx.who, action="consent.record", target=client_id,
                        detail={"consent": row["id"], "scopes": wanted})
    return {"id": row["id"], "client": client_id, "scopes": wanted, "given_on": given}


def revoke_consent(ctx: Ctx, client_id: str, *, delete: bool = False) -> ConsentRevoked:
    """Revoke every live consent; with ``delete`` also shred the client (the deletion revocation offers)."""
    today = date.today().isoformat()
    with unit_of_work(ctx) as conn:
        client_row(ctx, conn, Action.CONSENT_WRITE, client_id)
        revoked: list[str] = []
        for row, payload in _rows(ctx.vault, conn, client_id):
            if payload.get("revoked_on"):
                continue
            payload["revoked_on"] = today
            sealed = records.seal_row(ctx.vault, conn, "consents", row._mapping, payload)
            conn.execute(update(consents).where(consents.c.id == row.id).values(sealed=sealed))
            revoked.append(row.id)
        ctx.vault.audit(conn, actor=ctx.who, action="consent.revoke", target=client_id,
                        detail={"consents": revoked})
    result: ConsentRevoked = {"client": client_id, "revoked": revoked, "revoked_on": today,
                              "deletion_offered": True, "deleted": False}
    if delete:
        from .clients import shred_client  # local import: clients imports this module

        result["deleted"] = True
        result["receipt"] = shred_client(ctx, client_id)
    return result


def consent_status(ctx: Ctx, client_id: str) -> ConsentStatus:
    with unit_of_work(ctx) as conn:
        client_row(ctx, conn, Action.CONSENT_READ, client_id)
        history = [_with_id(r, p) for r, p in _rows(ctx.vault, conn, client_id)]
        ctx.vault.audit(conn, actor=ctx.who, action="consent.read", target=client_id)
    current = [h for h in history if not h.get("revoked_on")]
    return {"client": client_id, "current": current[-1] if current else None, "history": history,
            "may_process": bool(current) and PROCESSING <= set(current[-1]["scopes"])}


__all__ = ["DEFAULT_SCOPES", "SCOPES", "consent_status", "current_consent", "record_consent",
           "require_processing_consent", "revoke_consent"]
