"""Use cases: export a session or its note — the deliberate ways plaintext leaves the vault.

The service returns bytes; the caller (CLI) writes them where the clinician said: stdout or a
path they name, never inside the vault's data directory. The audit entry records what was
exported and how many bytes, not where to (a path can carry a name).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from ..codec import transcript_from_dict
from ..domain import Transcript
from ..errors import InputError, NotFoundError
from ..notes import workflow
from ..notes.export import EXPORTERS, ExportHeader, ExportOptions, export_note
from ..notes.export.appendix import evidence_appendix
from ..notes.export.header import NOT_RECORDED, duration_text, parse_date, parse_start, session_times
from ..notes.model import Note, note_from_dict
from ..notes.service import draft_note
from ..offline import offline
from ..vault import blobs, records
from ..vault.blobs import BlobKind
from ..vault.ids import parse_iso
from .analyses import read_blob
from .context import Ctx
from .permissions import Action, client_row, session_row, unit_of_work

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


# --- a session's note, as a clinician files it ---------------------------------------------------

CLIENT_LABELS = ("pseudonym", "name")


@dataclass(frozen=True, slots=True)
class NoteExportChoice:
    """What the clinician chose for the filed copy. ``date``/``start`` override the session's own time
    (an imported transcript's record was made at import, not at the session)."""

    client: str = "pseudonym"  # or "name": the client's name from the sealed client record
    appendix: bool = False  # the evidence appendix: times and short quotes
    date: str = ""  # YYYY-MM-DD
    start: str = ""  # HH:MM
    clinician: str = ""  # as it should read on the record; default: the signer, else the exporting account

    def checked(self) -> NoteExportChoice:
        if self.client not in CLIENT_LABELS:
            raise InputError(f"the client is shown by {' or '.join(CLIENT_LABELS)}")
        if len(self.clinician) > 200:
            raise InputError("the clinician's name must have at most 200 characters")
        return replace(self, date=parse_date(self.date) if self.date else "",
                       start=parse_start(self.start) if self.start else "")


def _check_kind(kind: str) -> None:
    if kind not in EXPORTERS:
        raise InputError(f"unknown export; choose one of: {', '.join(EXPORTERS)}")


def _span(t: Transcript) -> float | None:
    starts = [u.start for u in t.utterances if u.start is not None]
    ends = [u.end for u in t.utterances if u.end is not None]
    return max(ends) - min(starts) if starts and ends else None


def _options(note: Note, transcript: Transcript, choice: NoteExportChoice, client: str, clinician: str,
             started: datetime | None) -> ExportOptions:
    day, start = session_times(started)
    header = ExportHeader(client=client, date_of_service=choice.date or day, start_time=choice.start or start,
                          duration=duration_text(_span(transcript)), clinician=choice.clinician or clinician)
    return ExportOptions(header, evidence_appendix(note, transcript) if choice.appendix else ())


def export_session_note(ctx: Ctx, session_id: str, kind: str, choice: NoteExportChoice | None = None) -> bytes:
    """The stored note with its header, signature block and (if chosen) evidence appendix — plaintext
    leaving the vault, so audited (what and how many bytes, never where to)."""
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.EXPORT, session_id)  # first: a foreign session is not found, audited
        _check_kind(kind)
        choice = (choice or NoteExportChoice()).checked()
        note_blob = blobs.find(conn, session_id, BlobKind.NOTE)
        if note_blob is None:
            raise NotFoundError(f"session {session_id} has no note yet (draft one first)")
        note = note_from_dict(json.loads(blobs.get(ctx.vault, conn, note_blob)))
        workflow.verify(note)
        transcript = transcript_from_dict(json.loads(read_blob(ctx, conn, session_id, BlobKind.TRANSCRIPT)[1]))
        client = row.client_id
        if choice.client == "name":
            client = records.open_row(ctx.vault, conn, "clients",
                                      client_row(ctx, conn, Action.CLIENT_SHOW, row.client_id))["name"]
        signer = note.signature.signer if note.signature else ctx.who
        data = export_note(note, kind, _options(note, transcript, choice, client, signer, parse_iso(row.created_at)))
        ctx.vault.audit(conn, actor=ctx.who, action="export", target=session_id,
                        detail={"session": session_id, "what": f"note:{kind}", "bytes": len(data),
                                "client_shown_by": choice.client, "appendix": choice.appendix})
    return data


def export_file_note(path: Path, fmt: str, kind: str, choice: NoteExportChoice | None = None, *,
                     grounding: str = "remove", detail: str = "concise") -> bytes:
    """A transcript file's draft, exported (nothing stored). A file has no client record or session time:
    those header fields read "not recorded" unless the clinician gives --date/--start/--clinician."""
    from .analysis import analyze_file

    _check_kind(kind)
    choice = (choice or NoteExportChoice()).checked()
    if choice.client == "name":
        raise InputError("a transcript file has no client record to take a name from: export it from the vault")
    analysis = analyze_file(path)
    with offline():
        note = draft_note(analysis, fmt, grounding=grounding, detail=detail)
    return export_note(note, kind, _options(note, analysis.transcript, choice, NOT_RECORDED, NOT_RECORDED, None))
