"""What the note use cases return (services.notes, services.note_workflow)."""

from typing_extensions import TypedDict

from .notes_json import NoteJson


class NoteStored(TypedDict):
    id: str
    session: str


class SpeakerShown(TypedDict):
    id: str
    name: str
    role: str


class SpeakersCorrected(TypedDict):
    """services.speaker_corrections.correct_speakers: the session's speakers after the correction."""

    session: str
    speakers: list[SpeakerShown]
    corrections: int


class NoteDrafted(TypedDict):
    session: str
    version: str
    note: NoteJson
