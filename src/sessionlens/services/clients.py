"""Use cases: clients. Names and identifying details are sealed; everything else uses the pseudonymous id."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import Connection, insert, select, update

from ..errors import InputError
from ..payloads.services_clients import (ClientAdded, ClientListed, ClientModality, ClientProfile, ClientShown,
                                         ClientShredded, ShredReceipt)
from ..vault import records, shred, store
from ..vault.ids import new_id, now_iso
from ..vault.models import clients, sessions
from .consent import current_consent
from .context import Ctx
from .permissions import Action, client_row, require, unit_of_work

MAX_NAME = 200


def profile_of(ctx: Ctx, conn: Connection, row: Any) -> ClientProfile:
    """The sealed profile; add_client and set_client_modality are its only writers."""
    return cast(ClientProfile, records.open_row(ctx.vault, conn, "clients", row))


def add_client(ctx: Ctx, name: str, details: Mapping[str, str] | None = None) -> ClientAdded:
    """Create a client with its own data key; returns the pseudonymous id."""
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise InputError(f"a client name must have 1 to {MAX_NAME} characters")
    with unit_of_work(ctx) as conn:
        require(ctx, Action.CLIENT_ADD)
        client_id = new_id("client")
        key_id, version = ctx.vault.new_client_key(conn, client_id, owner=ctx.actor.id)
        created = now_iso()
        row = {"id": client_id, "owner_id": ctx.actor.id, "key_id": key_id, "key_version": version,
               "created_at": created}
        payload: ClientProfile = {"name": name, "details": dict(details or {})}
        conn.execute(insert(clients).values(**row, sealed=records.seal_row(ctx.vault, conn, "clients", row, payload)))
        ctx.vault.audit(conn, actor=ctx.who, action="client.create", target=client_id)
    return {"id": client_id, "created_at": created}


def list_clients(ctx: Ctx) -> list[ClientListed]:
    """The actor's clients with names (a PHI read: audited)."""
    with unit_of_work(ctx) as conn:
        require(ctx, Action.CLIENT_LIST)
        rows = conn.execute(select(clients).where(clients.c.owner_id == ctx.actor.id).order_by(clients.c.created_at,
                                                                                               clients.c.id)).all()
        out: list[ClientListed] = []
        for row in rows:
            profile = profile_of(ctx, conn, row)
            consent = current_consent(ctx.vault, conn, row.id)
            out.append({"id": row.id, "name": profile["name"], "created_at": row.created_at,
                        "consent": consent["scopes"] if consent else []})
        ctx.vault.audit(conn, actor=ctx.who, action="client.list", target="-", detail={"count": len(out)})
    return out


def show_client(ctx: Ctx, client_id: str) -> ClientShown:
    with unit_of_work(ctx) as conn:
        row = client_row(ctx, conn, Action.CLIENT_SHOW, client_id)
        profile = profile_of(ctx, conn, row)
        session_ids = conn.execute(select(sessions.c.id).where(sessions.c.client_id == client_id)
                                   .order_by(sessions.c.created_at, sessions.c.id)).scalars().all()
        consent = current_consent(ctx.vault, conn, client_id)
        ctx.vault.audit(conn, actor=ctx.who, action="client.read", target=client_id)
    return {"id": client_id, "name": profile["name"], "details": profile["details"], "created_at": row.created_at,
            "consent": consent, "sessions": list(session_ids)}


def client_modality(ctx: Ctx, conn: Connection, client_id: str) -> str | None:
    """The client's note modality preference (cbt, mi, psychodynamic, couples), None when not set."""
    row = conn.execute(select(clients).where(clients.c.id == client_id)).one()
    return profile_of(ctx, conn, row)["details"].get("modality") or None


def set_client_modality(ctx: Ctx, client_id: str, modality: str) -> ClientModality:
    """Store the modality a client's notes are drafted in (sealed with the client's record, audited)."""
    from ..notes.modalities import check_modality

    chosen = check_modality(modality)
    with unit_of_work(ctx) as conn:
        row = client_row(ctx, conn, Action.CLIENT_ADD, client_id)
        profile = profile_of(ctx, conn, row)
        profile["details"] = {**profile["details"], "modality": chosen}
        fields = {"id": row.id, "owner_id": row.owner_id, "key_id": row.key_id, "key_version": row.key_version,
                  "created_at": row.created_at}
        conn.execute(update(clients).where(clients.c.id == client_id)
                     .values(sealed=records.seal_row(ctx.vault, conn, "clients", fields, profile)))
        ctx.vault.audit(conn, actor=ctx.who, action="client.modality", target=client_id, detail={"modality": chosen})
    return {"id": client_id, "modality": chosen}


def shred_client(ctx: Ctx, client_id: str) -> ClientShredded:
    """Destroy the client's data key and every row of theirs; the audit trail keeps a receipt."""
    with unit_of_work(ctx) as conn:
        client_row(ctx, conn, Action.CLIENT_SHRED, client_id)
        receipt = cast(ShredReceipt, shred.delete_client(ctx.vault, conn, client_id))  # its per-table counts
        ctx.vault.audit(conn, actor=ctx.who, action="client.shred", target=client_id, detail=receipt)
    store.compact(ctx.vault.engine)
    return {"id": client_id, "shredded": True, **receipt}


