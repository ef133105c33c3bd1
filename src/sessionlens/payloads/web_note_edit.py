"""The clinician's edits of a note as the browser sends them (web.routes.api_notes -> web.views.note.edits)."""

from typing_extensions import TypedDict


class SentenceEdit(TypedDict):
    text: str


class SectionEdit(TypedDict):
    """Section ``key`` now reads these sentences, in order (an emptied one is deleted)."""

    key: str
    sentences: list[SentenceEdit]
