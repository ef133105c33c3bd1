"""What the note use cases return (services.notes, services.note_workflow)."""

from typing_extensions import TypedDict

from .notes_json import NoteJson


class NoteStored(TypedDict):
    id: str
    session: str


class NoteDrafted(TypedDict):
    session: str
    version: str
    note: NoteJson
