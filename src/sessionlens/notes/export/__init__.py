"""Note exports: Markdown, plain text for EHR fields, PDF, DOCX, FHIR R4 JSON. A registry maps a
name to a function ``(Note, ExportOptions) -> bytes`` (plus the file suffix and media type); the
options carry the header (client, date of service, clinician ...) and the optional evidence appendix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...errors import InputError
from ..model import Note
from . import docx, fhir, markdown, pdf, text
from .header import ExportHeader, ExportOptions


@dataclass(frozen=True, slots=True)
class Exporter:
    render: Callable[[Note, ExportOptions], bytes]
    suffix: str
    media_type: str


EXPORTERS: dict[str, Exporter] = {
    "markdown": Exporter(markdown.render_bytes, ".md", "text/markdown"),
    "text": Exporter(text.render_bytes, ".txt", "text/plain"),
    "pdf": Exporter(pdf.render, ".pdf", "application/pdf"),
    "docx": Exporter(docx.render, ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "fhir-composition": Exporter(fhir.composition_bytes, ".json", "application/fhir+json"),
    "fhir-documentreference": Exporter(fhir.document_reference_bytes, ".json", "application/fhir+json"),
}


def export_note(note: Note, kind: str, options: ExportOptions | None = None) -> bytes:
    try:
        exporter = EXPORTERS[kind]
    except KeyError:
        raise InputError(f"unknown export {kind!r}; choose one of: {', '.join(EXPORTERS)}") from None
    return exporter.render(note, options or ExportOptions())


__all__ = ["EXPORTERS", "ExportHeader", "ExportOptions", "Exporter", "export_note"]
