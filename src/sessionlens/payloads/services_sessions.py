"""What the session use cases return (services.sessions): receipts of attaching, deleting and sharing; a session
listed, shown, imported or transcribed."""

from typing_extensions import NotRequired, TypedDict

from .metrics import Metrics
from .services_session_meta import SessionSummary


class MediaAttached(TypedDict):
    id: str
    session: str
    kind: str


class SessionDeleted(TypedDict):
    id: str
    deleted: bool
    reason: str


class SessionShared(TypedDict):
    session: str
    shared_with: str


class SessionUnshared(TypedDict):
    session: str
    unshared: str


class StoredRecord(TypedDict):
    """One sealed record of a session (never its content)."""

    id: str
    kind: str
    bytes: int


class SessionShown(SessionSummary):
    """A session's metadata, its stored records and its headline metrics (services.sessions.show_session)."""

    records: list[StoredRecord]
    metrics: NotRequired[Metrics]


class SessionImported(TypedDict):
    """A transcript file stored as a new session."""

    id: str
    client: str
    blobs: dict[str, str]
    """Record kind -> blob id."""
    utterances: int
    source_format: str


class SessionTranscribed(TypedDict):
    """An audio session's transcript and analysis stored."""

    id: str
    utterances: int
    status: str


SessionStored = SessionImported | SessionTranscribed
"""What storing an analysed session returns (services.pipeline.store_results)."""
