"""The clinician's own records: check-ins (wellbeing, "where do I stand?"), journal entries, scored measures'
history rows. Sealed in the vault as JSON; fields may be added, never renamed or removed."""

from typing_extensions import TypedDict


class CheckIn(TypedDict):
    """A check-in as recorded: a whole number per item, an optional note."""

    answers: dict[str, int]
    """item key -> position on the scale."""
    note: str
    recorded_at: str


class JournalEntry(TypedDict):
    text: str
    written_at: str


class StandingRow(TypedDict):
    """One "where do I stand?" dimension: the position and a sentence (with the movement since last time)."""

    key: str
    dimension: str
    value: int
    first: str
    second: str
    sentence: str


class StandingHistoryRow(TypedDict):
    recorded_at: str
    note: str
    dimensions: list[StandingRow]


class WellbeingHistoryRow(TypedDict):
    recorded_at: str
    answers: dict[str, int]
    summary: list[str]
