"""Use cases: supervision packets — build (de-identified), review and edit, approve, export as PDF,
seal for one supervisor account, and open (that supervisor only).

A packet covers sessions of one client (it is sealed under that client's key, so shredding the client
shreds the packet and every sealed copy). Building needs the client's consent to supervision; export
needs the clinician's approval after review.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select, update

from ..errors import ConsentError, InputError, NotFoundError, PermissionDeniedError
from ..offline import offline
from ..payloads.services_supervision import PacketBuilt, PacketListed, PacketShown, PacketState
from ..payloads.supervision_packet import SupervisionPacket
from ..supervision import packet as pk
from ..supervision import sealed
from ..supervision.pdf import render_pdf
from ..vault import records, store
from ..vault.roles import Role
from ..vault.models import client_keys, reflections
from .accounts import supervisor_named
from .consent import current_consent
from .context import Ctx
from .permissions import Action, Refused, client_row, require, session_row, unit_of_work
from .reflection import _analysis, _measures, purge_orphans, put, record_id, replace_payload, unseal

KIND = "packet"


def _supervision_consent(ctx: Ctx, conn: Connection, client_id: str) -> None:
    consent = current_consent(ctx.vault, conn, client_id)
    if consent is None or "supervision" not in consent["scopes"]:
        raise Refused(ConsentError(f"client {client_id} has not consented to supervision"),
                      Action.PACKET_WRITE.value, client_id)


def build_packet(ctx: Ctx, client_id: str, chosen: Sequence[tuple[str, str | None]],
                 questions: Sequence[str] = ()) -> PacketBuilt:
    """``chosen``: (session id, excerpt "u10-u25" or None for the whole session), in the order to show."""
    if not chosen:
        raise InputError("choose at least one session or excerpt for the packet")
    with unit_of_work(ctx) as conn:
        client = client_row(ctx, conn, Action.PACKET_WRITE, client_id)
        _supervision_consent(ctx, conn, client_id)
        selections = []
        for session_id, excerpt in chosen:
            if session_row(ctx, conn, Action.PACKET_WRITE, session_id).client_id != client_id:
                raise Refused(NotFoundError(f"record {session_id} not found"), Action.PACKET_WRITE.value, session_id)
            selections.append(pk.Selection(session_id, _analysis(ctx, conn, session_id),
                                           pk.parse_excerpt(excerpt) if excerpt else None))
        name = records.open_row(ctx.vault, conn, "clients", client)["name"]
        measures = _measures(ctx, conn, client_id)
    with offline(allow=store.network_hosts(ctx.vault.engine)):  # de-identification runs with the network refused
        built = pk.build_packet(selections, questions=questions, measures=measures, known_names=[name])
    with unit_of_work(ctx) as conn:
        client = client_row(ctx, conn, Action.PACKET_WRITE, client_id)
        _supervision_consent(ctx, conn, client_id)
        row = put(ctx.vault, conn, owner_id=ctx.actor.id, kind=KIND, keyed_by=client, payload=built,
                  rid=record_id("p"))
        ctx.vault.audit(conn, actor=ctx.who, action="packet.build", target=row["id"],
                        detail={"client": client_id, "sessions": [s for s, _ in chosen],
                                "replaced": sum(built["replaced"].values())})
    return {"id": row["id"], "client": client_id, "status": built["status"], "replaced": built["replaced"]}


def _own(ctx: Ctx, conn: Connection, packet_id: str) -> Any:
    """The packet row if the actor built it (call after the role check); otherwise not found."""
    purge_orphans(conn)
    row = conn.execute(select(reflections).where(reflections.c.id == packet_id, reflections.c.kind == KIND)).first()
    if row is None or row.owner_id != ctx.actor.id:
        raise Refused(NotFoundError(f"record {packet_id} not found"), Action.PACKET_WRITE.value, packet_id)
    return row


def show_packet(ctx: Ctx, packet_id: str) -> PacketShown:
    with unit_of_work(ctx) as conn:
        require(ctx, Action.PACKET_WRITE, packet_id)
        payload: SupervisionPacket = unseal(ctx.vault, conn, _own(ctx, conn, packet_id))
        ctx.vault.audit(conn, actor=ctx.who, action="packet.read", target=packet_id)
    return {"id": packet_id, **payload}


def edit_packet(ctx: Ctx, packet_id: str, line: str, text: str | None) -> PacketState:
    """Replace line "S.N" with the clinician's text, or remove it (``text=None``); back to draft."""
    with unit_of_work(ctx) as conn:
        require(ctx, Action.PACKET_WRITE, packet_id)
        row = _own(ctx, conn, packet_id)
        payload = pk.edit_line(unseal(ctx.vault, conn, row), line, text)
        replace_payload(ctx.vault, conn, row, payload)
        ctx.vault.audit(conn, actor=ctx.who, action="packet.edit", target=packet_id,
                        detail={"line": line, "removed": text is None})
    return {"id": packet_id, "status": payload["status"]}


def approve_packet(ctx: Ctx, packet_id: str) -> PacketState:
    """The clinician has read every line: the packet may now be exported."""
    with unit_of_work(ctx) as conn:
        require(ctx, Action.PACKET_WRITE, packet_id)
        row = _own(ctx, conn, packet_id)
        payload = unseal(ctx.vault, conn, row)
        payload["status"] = "reviewed"
        replace_payload(ctx.vault, conn, row, payload)
        ctx.vault.audit(conn, actor=ctx.who, action="packet.approve", target=packet_id)
    return {"id": packet_id, "status": "reviewed"}


def _reviewed(payload: SupervisionPacket, packet_id: str) -> None:
    if payload["status"] != "reviewed":
        raise InputError(f"packet {packet_id} has not been reviewed: read it, then approve it before exporting")


def _for_export(ctx: Ctx, conn: Connection, packet_id: str) -> tuple[Any, SupervisionPacket]:
    """The actor's own reviewed packet (row, payload), checked for export (after the PACKET_WRITE check)."""
    row = _own(ctx, conn, packet_id)
    require(ctx, Action.EXPORT, packet_id)
    payload: SupervisionPacket = unseal(ctx.vault, conn, row)
    _reviewed(payload, packet_id)
    return row, payload


def export_packet_pdf(ctx: Ctx, packet_id: str) -> bytes:
    with unit_of_work(ctx) as conn:
        require(ctx, Action.PACKET_WRITE, packet_id)
        _, payload = _for_export(ctx, conn, packet_id)
        data = render_pdf(payload)
        ctx.vault.audit(conn, actor=ctx.who, action="export", target=packet_id,
                        detail={"what": "packet.pdf", "bytes": len(data)})
    return data


def seal_packet(ctx: Ctx, packet_id: str, supervisor: str) -> bytes:
    """A file only ``supervisor`` (a supervisor account of this vault) can open, through sessionlens."""
    with unit_of_work(ctx) as conn:
        require(ctx, Action.PACKET_WRITE, packet_id)
        row, payload = _for_export(ctx, conn, packet_id)
        grantee = supervisor_named(ctx, conn, supervisor)
        payload["status"] = "sealed"
        conn.execute(update(reflections).where(reflections.c.id == row.id).values(recipient_id=grantee.id))
        row = conn.execute(select(reflections).where(reflections.c.id == row.id)).one()
        replace_payload(ctx.vault, conn, row, payload)
        header = {"packet": packet_id, "vault": ctx.vault.vault_id, "recipient": grantee.id,
                  "key_id": row.key_id, "key_version": row.key_version, "created_at": row.created_at}
        data = sealed.seal_file(ctx.vault.client_key(conn, row.key_id, row.key_version), header, payload)
        ctx.vault.audit(conn, actor=ctx.who, action="export", target=packet_id,
                        detail={"what": "packet.sealed", "for": grantee.id, "bytes": len(data)})
    return data


def list_packets(ctx: Ctx) -> list[PacketListed]:
    """Clinicians: the packets they built. Supervisors: the packets sealed for them."""
    with unit_of_work(ctx) as conn:
        if ctx.role is Role.SUPERVISOR:
            require(ctx, Action.PACKET_OPEN)
            q = select(reflections).where(reflections.c.kind == KIND, reflections.c.recipient_id == ctx.actor.id)
        else:
            require(ctx, Action.PACKET_WRITE)
            q = select(reflections).where(reflections.c.kind == KIND, reflections.c.owner_id == ctx.actor.id)
        out: list[PacketListed] = []
        for r in conn.execute(q.order_by(reflections.c.created_at, reflections.c.id)):
            p = unseal(ctx.vault, conn, r)
            listed: PacketListed = {"id": r.id, "created_at": r.created_at, "status": p["status"],
                                    "sessions": len(p["sessions"])}
            if ctx.role is not Role.SUPERVISOR:
                listed["client"] = r.client_id
            out.append(listed)
        ctx.vault.audit(conn, actor=ctx.who, action="packet.list", target="-", detail={"count": len(out)})
    return out


def _refuse_open(packet_id: str, why: str) -> Refused:
    return Refused(PermissionDeniedError(why), Action.PACKET_OPEN.value, packet_id)


def read_addressed_packet(ctx: Ctx, packet_id: str) -> PacketShown:
    """A supervisor reads a packet sealed for them (in the app, without the file)."""
    with unit_of_work(ctx) as conn:
        require(ctx, Action.PACKET_OPEN, packet_id)
        row = conn.execute(select(reflections).where(reflections.c.id == packet_id, reflections.c.kind == KIND)).first()
        if row is None or row.recipient_id != ctx.actor.id:
            raise _refuse_open(packet_id, "this packet is not addressed to you")
        payload: SupervisionPacket = unseal(ctx.vault, conn, row)
        ctx.vault.audit(conn, actor=ctx.who, action="packet.open", target=packet_id)
    return {"id": packet_id, **payload}


def open_packet_file(ctx: Ctx, data: bytes) -> PacketShown:
    """Open a sealed packet file: only the supervisor account it was sealed for, in the vault it came from."""
    header, body = sealed.read_header(data)
    packet_id = str(header["packet"])[:40]
    with unit_of_work(ctx) as conn:
        require(ctx, Action.PACKET_OPEN, packet_id)
        if header["vault"] != ctx.vault.vault_id:
            raise _refuse_open(packet_id, "this packet was sealed in another vault")
        if header["recipient"] != ctx.actor.id:
            raise _refuse_open(packet_id, "this packet is addressed to another supervisor")
        key_row = conn.execute(select(client_keys.c.key_id).where(client_keys.c.key_id == header["key_id"])).first()
        if key_row is None:
            raise Refused(NotFoundError("this packet can no longer be opened (its client was deleted)"),
                          Action.PACKET_OPEN.value, packet_id)
        payload = sealed.open_file(ctx.vault.client_key(conn, header["key_id"], int(header["key_version"])),
                                   header, body)
        ctx.vault.audit(conn, actor=ctx.who, action="packet.open", target=packet_id, detail={"from": "file"})
    return {"id": packet_id, **payload}
