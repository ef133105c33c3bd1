"""Use case: de-identify a transcript file the user brings (nothing of it is stored), audited.

The audit entry records the format, size and how many spans were replaced — never the content.
"""

from __future__ import annotations

from ..offline import offline
from .context import Ctx
from .permissions import Action, require, unit_of_work


def deidentify_file(ctx: Ctx, data: bytes, *, source: str) -> tuple[bytes, str, dict[str, int]]:
    """(the de-identified copy in the file's own format, that format, replacements per kind)."""
    from ..deid import deidentify_bytes

    with unit_of_work(ctx) as conn:
        require(ctx, Action.DEIDENTIFY)
    with offline():
        out, fmt, counts = deidentify_bytes(data, source=source)
    replaced = dict(counts)
    with unit_of_work(ctx) as conn:
        ctx.vault.audit(conn, actor=ctx.who, action="deidentify", target="-",
                        detail={"format": fmt, "bytes": len(data), "replaced": sum(replaced.values())})
    return out, fmt, replaced
