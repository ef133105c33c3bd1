"""Impressions held against the record (``reflection.impressions``): the rows and the tally over time."""

from typing_extensions import TypedDict

ItemValue = int | str
"""A percentage (talk share, open questions) or one of the item's choices."""


class ImpressionRow(TypedDict):
    """One recorded impression beside what the analysis recorded."""

    item: str
    question: str
    recalled: ItemValue
    recorded: ItemValue | None
    """None: the record has no measure for this item."""
    agreement: str
    """close, more self-critical, less self-critical, different, not measurable."""
    sentence: str


class ImpressionTally(TypedDict):
    """Per item, how often recollection was close to / harder on the clinician than / gentler than the record."""

    sessions: int
    items: dict[str, dict[str, int]]
    """item key -> agreement -> sessions."""
    sentences: list[str]
