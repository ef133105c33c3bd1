"""FHIR R4 JSON: a Composition (sections with XHTML narrative) or a DocumentReference (the plain-text
note as an attachment). Subject and author are display-only here: linking them to Patient and
Practitioner resources is the receiving EHR's job (sessionlens holds no EHR identifiers)."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import uuid
from datetime import datetime, timezone

from ...payloads.notes_fhir import (Coding, Composition, CompositionSection, DocumentReference, Narrative,
                                    NoteDescription, Reference)
from ..model import Note
from . import text as plain
from .common import prose, title
from .header import NOT_RECORDED, ExportOptions

LOINC_PROGRESS_NOTE: Coding = {"system": "http://loinc.org", "code": "11506-3", "display": "Progress note"}


def _div(inner: str) -> Narrative:
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{inner}</div>'}


def _date(note: Note) -> str:
    if note.signature is not None:
        return note.signature.signed_at
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _author(note: Note) -> list[Reference]:
    return [{"display": note.signature.signer if note.signature else "sessionlens draft (unsigned)"}]


def _description(note: Note, subject: str) -> NoteDescription:
    return {"type": {"coding": [LOINC_PROGRESS_NOTE], "text": title(note)}, "subject": {"display": subject},
            "date": _date(note), "author": _author(note)}


def composition(note: Note, subject: str = "Client") -> Composition:
    sections: list[CompositionSection] = []
    for sec in note.sections:
        body = prose(sec)  # clean prose, as in every export: the evidence stays in sessionlens
        sections.append({"title": sec.title, "text": _div(f"<p>{html.escape(body) if body else '-'}</p>")})
    res: Composition = {
        "resourceType": "Composition",
        "id": str(uuid.uuid4()),
        "status": "final" if note.signature else "preliminary",
        **_description(note, subject),
        "title": title(note),
        "section": sections,
    }
    if note.signature is not None:
        res["attester"] = [{"mode": "legal", "time": note.signature.signed_at,
                            "party": {"display": note.signature.signer}}]
        res["status"] = "amended" if note.addenda else "final"
        for n, a in enumerate(note.addenda, 1):
            sections.append({"title": f"Addendum {n}", "text": _div(f"<p>{html.escape(a.text)}</p>"),
                             "author": [{"display": a.author}]})
    return res


def document_reference(note: Note, subject: str = "Client", opts: ExportOptions | None = None) -> DocumentReference:
    data = plain.render_bytes(note, opts)
    return {
        "resourceType": "DocumentReference",
        "id": str(uuid.uuid4()),
        "status": "current",
        "docStatus": "final" if note.signature else "preliminary",
        **_description(note, subject),
        "description": title(note),
        "content": [{"attachment": {"contentType": "text/plain; charset=utf-8", "language": "en",
                                    "data": base64.b64encode(data).decode("ascii"), "size": len(data),
                                    "hash": base64.b64encode(hashlib.sha1(data).digest()).decode("ascii"),  # noqa: S324 - FHIR defines SHA-1 here
                                    "title": title(note)}}],
    }


def _subject(opts: ExportOptions | None) -> str:
    client = opts.header.client if opts else NOT_RECORDED
    return "Client" if client == NOT_RECORDED else client


def composition_bytes(note: Note, opts: ExportOptions | None = None) -> bytes:
    return (json.dumps(composition(note, _subject(opts)), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def document_reference_bytes(note: Note, opts: ExportOptions | None = None) -> bytes:
    doc = document_reference(note, _subject(opts), opts)
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
