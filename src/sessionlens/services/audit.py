"""Use cases: verify the audit chain; export its head to keep somewhere else and check later."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..payloads.services_audit import AuditHeadExport, AuditVerified
from ..vault.audit import Head
from ..vault.ids import now_iso
from .context import Ctx
from .permissions import Action, require, unit_of_work


def verify_audit(ctx: Ctx, known_head: Mapping[str, Any] | None = None,
                 anchor_copy: Path | None = None) -> AuditVerified:
    """Verify every entry (and against an anchor copy if given); the result names the first bad one.
    Verification itself is audited after."""
    head = _head(ctx, known_head) if known_head is not None else None
    with unit_of_work(ctx) as conn:
        require(ctx, Action.AUDIT_VERIFY)
        verdict = ctx.vault.verify_audit(conn, head, anchor_copy)
        ctx.vault.audit(conn, actor=ctx.who, action="audit.verify", target="-",
                        detail={"ok": verdict.ok, "checked": verdict.checked, "first_bad": verdict.first_bad})
    return {"ok": verdict.ok, "checked": verdict.checked, "first_bad": verdict.first_bad, "reason": verdict.reason,
            "message": verdict.message()}


def export_head(ctx: Ctx) -> AuditHeadExport:
    with unit_of_work(ctx) as conn:
        require(ctx, Action.AUDIT_VERIFY)
        verdict = ctx.vault.verify_audit(conn)
        if not verdict.ok or verdict.head is None:
            raise InputError(f"cannot export the head of a broken chain: {verdict.message()}")
        ctx.vault.audit(conn, actor=ctx.who, action="audit.export_head", target="-",
                        detail={"seq": verdict.head.seq})
    return {"vault": ctx.vault.vault_id, "seq": verdict.head.seq, "hash": verdict.head.hash, "exported_at": now_iso()}


def _head(ctx: Ctx, data: Mapping[str, Any]) -> Head:
    try:
        head = Head(int(data["seq"]), str(data["hash"]))
        vault = str(data["vault"])
    except (KeyError, TypeError, ValueError):
        raise InputError("the chain head file needs vault, seq and hash") from None
    if vault != ctx.vault.vault_id:
        raise InputError("the chain head belongs to another vault")
    return head
