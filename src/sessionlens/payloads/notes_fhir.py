"""The FHIR R4 resources a note is exported as (only the elements sessionlens writes)."""

from typing_extensions import NotRequired, TypedDict


class Coding(TypedDict):
    system: str
    code: str
    display: str


class CodeableConcept(TypedDict):
    coding: list[Coding]
    text: str


class Reference(TypedDict):
    display: str


class Narrative(TypedDict):
    status: str
    div: str


class CompositionSection(TypedDict):
    title: str
    text: Narrative
    author: NotRequired[list[Reference]]


class Attester(TypedDict):
    mode: str
    time: str
    party: Reference


class NoteDescription(TypedDict):
    """What both resources say of the note: its kind, whose it is, when and by whom."""

    type: CodeableConcept
    subject: Reference
    date: str
    author: list[Reference]


class Composition(NoteDescription):
    resourceType: str
    id: str
    status: str
    title: str
    section: list[CompositionSection]
    attester: NotRequired[list[Attester]]


class Attachment(TypedDict):
    contentType: str
    language: str
    data: str
    size: int
    hash: str
    title: str


class Content(TypedDict):
    attachment: Attachment


class DocumentReference(NoteDescription):
    resourceType: str
    id: str
    status: str
    docStatus: str
    description: str
    content: list[Content]
