"""A session's sealed metadata (``sessions.sealed``) and what the audio-session use cases return
(services.media_sessions). Every key is optional: a transcript import, an upload and a recording each
write their own subset, and records written by older versions lack the newer keys."""

from typing_extensions import TypedDict

from .document import AnalysisDocument, TranscriptJson


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


class AnalysedSession(TypedDict):
    """What the analyse stage hands to the store (services.pipeline): the transcript with roles, its analysis
    document, and what the clinician said about the file (a ``TranscriptInput``; empty for a recording)."""

    transcript: TranscriptJson
    document: AnalysisDocument
    meta: dict[str, object]


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


class SessionSummary(SessionMeta):
    """The metadata with the row's own fields (services.sessions.list_sessions)."""

    id: str
    client: str
    created_at: str


class SessionHeader(SessionSummary):
    """The summary and the kinds of record the session has: what a page header needs."""

    kinds: list[str]
