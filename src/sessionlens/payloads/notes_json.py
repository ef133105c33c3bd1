"""The JSON form of a note (``note_to_dict``) and the small records it carries.

Published contract: ``{"format", "sections": [{"title", "sentences": [{"text", "evidence"}]}]}`` plus the
fields below; fields may be added, never renamed or removed.
"""

from typing_extensions import NotRequired, TypedDict


class SentenceJson(TypedDict):
    text: str
    evidence: list[str]
    start: float | None
    end: float | None
    basis: str
    status: str
    origin: str
    check: NotRequired[str]


class SectionJson(TypedDict):
    key: str
    title: str
    sentences: list[SentenceJson]


class SignatureJson(TypedDict):
    signer: str
    signed_at: str
    content_sha256: str
    draft_sha256: str


class AddendumJson(TypedDict):
    author: str
    written_at: str
    text: str
    previous_sha256: str
    sha256: str


class DraftDifference(TypedDict, total=False):
    """How much the clinician changed the writer's draft before signing (empty until signed)."""

    kept: int
    edited: int
    removed: int
    added: int
    draft_sentences: int
    signed_sentences: int
    text_similarity: float
    unchanged: bool


class GroundingStats(TypedDict):
    checked: int
    kept: int
    unsupported: int


class NoteMeta(TypedDict, total=False):
    """What the draft rests on and how it was written: detail level, modality, grounding and LLM counts."""

    utterances: int
    duration_seconds: float | None
    source_format: str

    detail: str
    modality: str
    grounding: GroundingStats
    llm: dict[str, int]


NoteJson = TypedDict(
    "NoteJson",
    {
        "format": str,
        "status": str,
        "writer": str,
        "sections": list[SectionJson],
        "messages": list[str],
        "draft": list[SectionJson],
        "signature": SignatureJson | None,
        "addenda": list[AddendumJson],
        "revision": DraftDifference,
        "meta": NoteMeta,
        # a signed note also carries these at the top level, as the web editor's signing does
        "signed_by": NotRequired[str],
        "signed_at": NotRequired[str],
        "sha256": NotRequired[str],
    },
)


class PublishedSentence(TypedDict):
    text: str
    evidence: list[str]


class PublishedSection(TypedDict):
    title: str
    sentences: list[PublishedSentence]


class PublishedNote(TypedDict):
    """The part of a note its content hash covers."""

    format: str
    sections: list[PublishedSection]


class TemplateSentence(TypedDict):
    text: str
    evidence: list[str]
    start: str
    """Clock time ("12:05"), or "" when untimed."""
    end: str
    basis: str


class TemplateSection(TypedDict):
    key: str
    title: str
    sentences: list[TemplateSentence]


class TemplateNote(TypedDict):
    format: str
    title: str
    status: str
    sections: list[TemplateSection]


class TemplateSignature(TypedDict):
    signer: str
    signed_at: str
    sha256: str


class TemplateContext(TypedDict):
    """What a practice's own note template sees (the names are the template authors' contract)."""

    note: TemplateNote
    sections: dict[str, TemplateSection]
    signature: TemplateSignature | None
