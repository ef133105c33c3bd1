"""Use case: export a session — the one deliberate way plaintext leaves the vault.

The service returns bytes; the caller (CLI) writes them where the clinician said: stdout or a
path they name, never inside the vault's data directory. The audit entry records what was
exported and how many bytes, not where to (a path can carry a name).
"""

from __future__ import annotations

import json

from ..errors import InputError
from ..vault.blobs import BlobKind
from .analyses import read_blob
from .context import Ctx
from .permissions import Action, session_row, unit_of_work

WHAT = {"analysis": BlobKind.ANALYSIS, "transcript": BlobKind.TRANSCRIPT, "original": BlobKind.ORIGINAL}


def export_session(ctx: Ctx, session_id: str, what: str = "analysis") -> bytes:
    if what not in WHAT:
        raise InputError(f"can export {', '.join(WHAT)}, not {what!r}")
    with unit_of_work(ctx) as conn:
        session_row(ctx, conn, Action.EXPORT, session_id)
        blob_id, data = read_blob(ctx, conn, session_id, WHAT[what])
        ctx.vault.audit(conn, actor=ctx.who, action="export", target=blob_id,
                        detail={"session": session_id, "what": what, "bytes": len(data)})
    if what != "original":
        data = (json.dumps(json.loads(data), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return data
