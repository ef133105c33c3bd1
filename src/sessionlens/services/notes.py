"""Use cases: store and read a session's note (a sealed JSON blob; the note writer comes later).

Each store adds a new version; reading returns the newest. Older versions stay until the
session is deleted, so a signed note's history is kept.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, cast

from ..errors import InputError
from ..payloads.notes_json import NoteJson
from ..payloads.services_notes import NoteStored
from ..vault import blobs
from ..vault.blobs import BlobKind
from .analyses import read_blob
from .context import Ctx
from .permissions import Action, session_row, unit_of_work

MAX_NOTE_BYTES = 2 * 1024 * 1024


def store_note(ctx: Ctx, session_id: str, note: Mapping[str, Any]) -> NoteStored:
    data = json.dumps(dict(note), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(data) > MAX_NOTE_BYTES:
        raise InputError("the note is larger than 2 MB")
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.NOTE_WRITE, session_id)
        info = blobs.put(ctx.vault, conn, client_id=row.client_id, session_id=session_id, kind=BlobKind.NOTE,
                         data=data, key_id=row.key_id, key_version=row.key_version)
        ctx.vault.audit(conn, actor=ctx.who, action="note.write", target=info.id, detail={"session": session_id})
    return {"id": info.id, "session": session_id}


def read_note(ctx: Ctx, session_id: str) -> NoteJson:
    with unit_of_work(ctx) as conn:
        session_row(ctx, conn, Action.NOTE_READ, session_id)
        blob_id, data = read_blob(ctx, conn, session_id, BlobKind.NOTE)
        ctx.vault.audit(conn, actor=ctx.who, action="note.read", target=blob_id, detail={"session": session_id})
    return cast(NoteJson, json.loads(data))  # the stored note, as store_note wrote it
