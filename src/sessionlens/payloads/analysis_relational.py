"""The ``metrics.relational`` section: counts of relational moments, tense focus per role, the moments."""

from typing_extensions import TypedDict


class TenseFocus(TypedDict):
    """One role's tense markers (past, present, future) and each one's share (None without markers)."""

    markers: dict[str, int]
    share: dict[str, float | None]


class RelationalMoment(TypedDict):
    kind: str
    """yes_but_chain, rupture or repair."""
    label: str
    start: float | None
    utterance_ids: list[str]


class RelationalMetrics(TypedDict):
    counts: dict[str, int]
    """Finding kind (and yes_but_replies) -> how many."""
    tense_focus: dict[str, TenseFocus]
    """Per role."""
    ruptures_followed_by_repair: int
    moments: list[RelationalMoment]
    client_initiated_topics: list[str]
