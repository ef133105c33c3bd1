"""The sealed-record row and the small results of services.reflection (the shapes of what is inside a record
are hD's payloads/reflection_*.py)."""

from typing_extensions import TypedDict

from .reflection_checkins import CheckIn, JournalEntry, StandingHistoryRow, StandingRow
from .reflection_impressions import ImpressionRow, ItemValue
from .reflection_markers import Marker
from .reflection_trends import ClientTrends, MeasureScore, MeasureSeries


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


class ImpressionStored(TypedDict):
    """The sealed payload of an ``impression`` record."""

    answers: dict[str, ItemValue]
    blind: bool


class ImpressionsCompared(TypedDict):
    session: str
    blind: bool
    note: ItemValue
    rows: list[ImpressionRow]


class JournalEntryShown(JournalEntry):
    id: str


class MeasureShown(MeasureScore):
    """A stored measure as listed: the sealed score, the record id and the session it belongs to (if any)."""

    id: str
    session: str | None


class MeasureRecorded(MeasureScore):
    id: str
    client: str


class SessionMarkers(TypedDict):
    session: str
    client: str
    markers: list[Marker]
    measures: dict[str, MeasureSeries]


class ClientTrendsShown(ClientTrends):
    client: str


class CheckInRecorded(CheckIn):
    id: str


class WellbeingRecorded(CheckInRecorded):
    summary: list[str]


class StandingRecorded(CheckInRecorded):
    dimensions: list[StandingRow]


class StandingOverview(TypedDict):
    """Where the clinician placed themselves over time, beside what their session data shows."""

    history: list[StandingHistoryRow]
    recollection: list[str]
    heavy_sessions: int
    prompts: list[str]
