"""The smaller analyzers' ``metrics`` sections: themes, what the silences followed, plans, client statements,
therapist techniques (each under the analyzer's name)."""

from typing_extensions import NotRequired, TypedDict


class ThemeSummary(TypedDict):
    name: str
    mentions: int
    by_client: int
    first_start: float | None
    source: str


class ThemesMetrics(TypedDict):
    themes: list[ThemeSummary]
    """Most mentioned first."""
    method: str


class SilenceContextItem(TypedDict):
    start: float
    duration: float
    context: str
    broken_by: str
    sentence: str


class SilenceContextMetrics(TypedDict):
    measurable: bool
    silences: list[SilenceContextItem]
    reason: NotRequired[str]
    """Why silences cannot be measured in this source (when not measurable)."""
    threshold: NotRequired[float]


class PlansMetrics(TypedDict):
    plans: dict[str, int]
    """Plan kind -> how many."""
    goals: int


class StatementsMetrics(TypedDict):
    counts: dict[str, int]
    """Statement kind (e.g. concern) -> how many."""


class TechniquesMetrics(TypedDict):
    named: list[str]
    safety_questions: int
