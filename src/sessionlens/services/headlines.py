"""A session's headline metrics: a small sealed record beside its analysis document (issue 19).

The client page and the session summary show the metrics block (about 80 KB), not the utterances
and findings that make the analysis document about 1 MB. Parsing the whole document for them on
every request was most of those pages' time, so the metrics are kept as their own sealed record.
The record names the analysis blob it was taken from: when the analysis is rewritten (speaker or
code corrections store a new one) the record is stale and is rebuilt from the new document on the
next read. Only the client's own clinician writes it, in a transaction of its own after the read
(a read request's transaction does not take the write lock: see ``services.sessions``); anyone
else allowed to read the session gets the metrics from the document itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row

from .. import jsonbytes
from ..payloads.metrics import Metrics
from ..vault import blobs
from ..vault.blobs import BlobKind
from ..vault.roles import Role
from .context import Ctx
from .pipeline import put_record


@dataclass(frozen=True, slots=True)
class Headline:
    metrics: Metrics
    analysis_id: str
    kept: bool  # False: read from the analysis document; keep() stores it for the next read


def _stored(ctx: Ctx, conn: Connection, session_id: str, analysis_id: str) -> Metrics | None:
    head_id = blobs.find(conn, session_id, BlobKind.HEADLINE)
    if head_id is None:
        return None
    record = jsonbytes.loads(blobs.get(ctx.vault, conn, head_id))
    metrics: Metrics = record["metrics"]
    return metrics if record.get("analysis") == analysis_id else None  # stale: analysis rewritten


def headline(ctx: Ctx, conn: Connection, row: Row[Any]) -> Headline | None:
    """The metrics block of the session's current analysis (None without one). ``row`` is the session
    row the caller was allowed to read, in the caller's transaction."""
    analysis_id = blobs.find(conn, row.id, BlobKind.ANALYSIS)
    if analysis_id is None:
        return None
    if (metrics := _stored(ctx, conn, row.id, analysis_id)) is not None:
        return Headline(metrics, analysis_id, kept=True)
    metrics = jsonbytes.loads(blobs.get(ctx.vault, conn, analysis_id)).get("metrics", {})
    return Headline(metrics, analysis_id, kept=False)


def keep(ctx: Ctx, conn: Connection, row: Row[Any], found: Headline) -> None:
    """Store ``found`` as the session's headline record, in a transaction that holds the write lock
    (see :func:`..vault.audit_batch.writing`) and has re-read ``row``; the client's clinician only."""
    if found.kept or ctx.role is not Role.CLINICIAN:
        return
    if blobs.find(conn, row.id, BlobKind.ANALYSIS) != found.analysis_id or \
            _stored(ctx, conn, row.id, found.analysis_id) is not None:
        return  # rewritten meanwhile, or another request kept it first
    for info in blobs.list_for_session(conn, row.id):
        if info.kind is BlobKind.HEADLINE:
            blobs.remove(conn, info.id)
    record = {"analysis": found.analysis_id, "metrics": found.metrics}
    put_record(ctx, conn, row, BlobKind.HEADLINE, json.dumps(record, separators=(",", ":")).encode())
