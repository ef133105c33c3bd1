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


class Composition(TypedDict):
    resourceType: str
    id: str
    status: str
    type: CodeableConcept
    subject: Reference
    date: str
    author: list[Reference]
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


class DocumentReference(TypedDict):
    resourceType: str
    id: str
    status: str
    docStatus: str
    type: CodeableConcept
    subject: Reference
    date: str
    author: list[Reference]
    description: str
    content: list[Content]
