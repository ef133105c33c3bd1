"""The sealed-record row and the small results of services.reflection (the shapes of what is inside a record
are hD's payloads/reflection_*.py)."""

from typing_extensions import TypedDict


class ReflectionRow(TypedDict):
    """The cleartext columns of a ``reflections`` row; all but ``key_id``/``key_version`` are bound into the
    sealed payload's associated data."""

    id: str
    owner_id: str
    kind: str
    client_id: str | None
    session_id: str | None
    recipient_id: str | None
    key_id: str
    key_version: int
    created_at: str


class ImpressionsRecorded(TypedDict):
    id: str
    session: str
    blind: bool
    items: list[str]


class ImpressionsStatus(TypedDict):
    session: str
    recorded: bool
    data_opened: bool


class JournalWritten(TypedDict):
    id: str
    session: str
    written_at: str
