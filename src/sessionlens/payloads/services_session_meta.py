"""A session's sealed metadata (``sessions.sealed``) and what the audio-session use cases return
(services.media_sessions). Every key is optional: a transcript import, an upload and a recording each
write their own subset, and records written by older versions lack the newer keys."""

from typing_extensions import TypedDict


class SpeakerCorrection(TypedDict):
    """One speaker correction (services.speaker_corrections)."""

    at: str
    by: str
    speakers: object
    utterances: object


class TranscriptInput(TypedDict):
    """What the clinician said about an uploaded transcript file, packed before its bytes (services.pipeline)."""

    source: str
    fmt: str | None
    therapist: list[str]


class SessionMeta(TypedDict, total=False):
    source_name: str
    """The imported file's name; never shown to roles that see no content (it may identify the client)."""
    source_format: str
    status: str
    """``recording`` -> ``awaiting_transcription`` -> ``ready`` for audio sessions."""
    status_note: str
    mime: str
    chunks: list[str]
    """Blob ids of a recording's parts, from before chunked blobs (one blob per part)."""
    utterances: int
    therapist: list[str]
    imported_by: str
    people: int | None
    parts: int
    bytes: int
    started_at: str
    recording_blob: str | None
    corrections: list[SpeakerCorrection]


class AudioSessionCreated(TypedDict):
    id: str
    client: str
    status: str
    audio: str | None


class ChunkStored(TypedDict):
    session: str
    seq: int
    bytes: int


class RecordingFinished(TypedDict):
    session: str
    audio: str
    bytes: int
    status: str


class AudioAttached(TypedDict):
    id: str
    session: str


class SessionHeader(SessionMeta, total=False):
    """The metadata with the row's own fields: what a page header needs."""

    id: str
    client: str
    created_at: str
    kinds: list[str]
