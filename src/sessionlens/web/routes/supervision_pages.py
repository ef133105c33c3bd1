"""Pages: supervision packets (build, review and edit, approve, PDF, sealed file; a supervisor's
inbox) and de-identifying any transcript file (raw upload, answered with the copy)."""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Header, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ...deid import NOTICE
from ...errors import InputError
from ...services import sessions
from ...services import supervision as sv
from ...services.context import Ctx
from ...services.deidentify import deidentify_file
from ...services.roles import Role
from ..bodies import read_capped
from ..deps import checked_form, ctx, see_other, web_state
from ..ids import ClientId
from ..render import render
from .api_out import Deidentified

router = APIRouter(include_in_schema=False)
PACKET_ID = r"^p-[a-km-z2-9]{8}$"


def _packet_id(value: str) -> str:
    if not re.match(PACKET_ID, value):
        raise InputError("not a packet id")
    return value


@router.get("/packets")
def packets(request: Request, c: Ctx = Depends(ctx)) -> Response:
    return render(request, "packets.html.j2", {"packets": sv.list_packets(c),
                                               "supervisor": c.role is Role.SUPERVISOR})


@router.get("/clients/{client_id}/packet")
def packet_new(request: Request, client_id: ClientId, c: Ctx = Depends(ctx)) -> Response:
    rows = [{"id": s["id"], "date": s["created_at"][:10]} for s in sessions.list_sessions(c, client_id)]
    return render(request, "packet_new.html.j2", {"client_id": client_id, "sessions": rows})


@router.post("/clients/{client_id}/packet")
async def packet_build(request: Request, client_id: ClientId) -> Response:
    form = await checked_form(request)
    chosen = [(k[len("session_"):], form.get(f"excerpt_{k[len('session_'):]}", "").strip() or None)
              for k, v in form.items() if k.startswith("session_") and v == "on"]
    questions = form.get("questions", "").splitlines()
    out = await run_in_threadpool(sv.build_packet, ctx(request), client_id, chosen, questions)
    return see_other(f"/packets/{out['id']}")


@router.get("/packets/{packet_id}")
def packet_page(request: Request, packet_id: str, c: Ctx = Depends(ctx)) -> Response:
    pid = _packet_id(packet_id)
    p = sv.read_addressed_packet(c, pid) if c.role is Role.SUPERVISOR else sv.show_packet(c, pid)
    return render(request, "packet.html.j2", {"p": p, "supervisor": c.role is Role.SUPERVISOR})


@router.post("/packets/{packet_id}")
async def packet_action(request: Request, packet_id: str) -> Response:
    form = await checked_form(request)
    pid, c, action = _packet_id(packet_id), ctx(request), form.get("action", "")
    if action == "approve":
        await run_in_threadpool(sv.approve_packet, c, pid)
    elif action in ("edit", "remove"):
        text = None if action == "remove" else form.get("text", "")
        await run_in_threadpool(sv.edit_packet, c, pid, form.get("line", ""), text)
    else:
        raise InputError("unknown action")
    return see_other(f"/packets/{pid}")


@router.get("/packets/{packet_id}/pdf")
def packet_pdf(packet_id: str, c: Ctx = Depends(ctx)) -> Response:
    pid = _packet_id(packet_id)
    return Response(sv.export_packet_pdf(c, pid), media_type="application/pdf",
                    headers={"content-disposition": f'attachment; filename="{pid}.pdf"'})


@router.post("/packets/{packet_id}/sealed")
async def packet_sealed(request: Request, packet_id: str) -> Response:
    form = await checked_form(request)
    pid = _packet_id(packet_id)
    data = await run_in_threadpool(sv.seal_packet, ctx(request), pid, form.get("supervisor", "").strip())
    return Response(data, media_type="application/octet-stream",
                    headers={"content-disposition": f'attachment; filename="{pid}.slpacket"'})


@router.get("/deidentify")
def deidentify_page(request: Request, c: Ctx = Depends(ctx)) -> Response:
    return render(request, "deidentify.html.j2", {"notice": NOTICE})


@router.post("/api/deidentify", include_in_schema=True, tags=["deidentify"], response_model=Deidentified,
             summary="De-identify a transcript (raw body); answers the copy in its own format as text")
async def deidentify_api(request: Request, name: str = Header(default="", alias="X-Upload-Name", max_length=255)
                         ) -> Deidentified:
    c = ctx(request)  # signed in
    data = await read_capped(request, web_state(request).settings.web_transcript_max_mib * 1024 * 1024)
    ext = re.sub(r"[^a-z0-9.]", "", name.lower().rsplit("/", 1)[-1])[-8:]
    source = f"upload{ext[ext.rfind('.'):] if '.' in ext else ''}"
    out, fmt, counts = await run_in_threadpool(deidentify_file, c, data, source=source)
    if fmt == "docx":
        raise InputError("a DOCX copy is binary: use `sessionlens deidentify FILE -o copy.docx`")
    return Deidentified(format=fmt, replaced=counts, notice=NOTICE, text=out.decode("utf-8"))
