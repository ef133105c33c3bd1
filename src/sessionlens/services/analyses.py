"""Use cases: read a session's stored analysis document and transcript (PHI reads, audited)."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Connection

from .. import jsonbytes
from ..codec import transcript_from_dict
from ..domain import Transcript
from ..errors import NotFoundError
from ..payloads.document import AnalysisDocument
from ..vault import blobs
from ..vault.blobs import BlobKind
from .context import Ctx
from .permissions import Action, session_row, unit_of_work


def read_blob(ctx: Ctx, conn: Connection, session_id: str, kind: BlobKind) -> tuple[str, bytes]:
    blob_id = blobs.find(conn, session_id, kind)
    if blob_id is None:
        raise NotFoundError(f"session {session_id} has no {kind.value} record")
    return blob_id, blobs.get(ctx.vault, conn, blob_id)


def read_analysis_bytes(ctx: Ctx, session_id: str) -> bytes:
    """The stored analysis document as its JSON bytes: the API sends them as they are (no parse, no
    re-serialisation of a ~1 MB document per request; issue 19)."""
    with unit_of_work(ctx) as conn:
        session_row(ctx, conn, Action.ANALYSIS_READ, session_id)
        blob_id, data = read_blob(ctx, conn, session_id, BlobKind.ANALYSIS)
        ctx.vault.audit(conn, actor=ctx.who, action="analysis.read", target=blob_id, detail={"session": session_id})
    return data


def analysis_version(ctx: Ctx, session_id: str) -> str:
    """The id of the session's current analysis record, read as the analysis is (permission, audit): a page
    kept from an earlier read of the same record may be shown again without decrypting it (issue 19)."""
    with unit_of_work(ctx) as conn:
        session_row(ctx, conn, Action.ANALYSIS_READ, session_id)
        blob_id = blobs.find(conn, session_id, BlobKind.ANALYSIS)
        if blob_id is None:
            raise NotFoundError(f"session {session_id} has no {BlobKind.ANALYSIS.value} record")
        ctx.vault.audit(conn, actor=ctx.who, action="analysis.read", target=blob_id, detail={"session": session_id})
    return blob_id


def read_analysis(ctx: Ctx, session_id: str) -> AnalysisDocument:
    # as stored: written by reports.document.analysis_document (re-coded by analysis.coding.recode)
    return cast(AnalysisDocument, jsonbytes.loads(read_analysis_bytes(ctx, session_id)))


def read_transcript(ctx: Ctx, session_id: str) -> Transcript:
    with unit_of_work(ctx) as conn:
        session_row(ctx, conn, Action.TRANSCRIPT_READ, session_id)
        blob_id, data = read_blob(ctx, conn, session_id, BlobKind.TRANSCRIPT)
        ctx.vault.audit(conn, actor=ctx.who, action="transcript.read", target=blob_id,
                        detail={"session": session_id})
    return transcript_from_dict(jsonbytes.loads(data))
