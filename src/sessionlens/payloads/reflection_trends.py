"""Trends over sessions (per client) and over a caseload (per clinician): the shapes ``reflection.trends`` returns.

Read by the web trend pages and ``sessionlens trends --json``; fields may be added, never renamed or removed.
"""

from typing_extensions import NotRequired, TypedDict


class SessionPoint(TypedDict):
    """The numbers one session contributes to trends (None: not measured in that session)."""

    session: str
    client: str
    date: str
    therapist_share: float | None
    rq: float | None
    percent_open: float | None
    percent_complex: float | None
    change: int | None
    sustain: int | None
    percent_change: float | None
    emotions: list[str]
    themes: list[str]
    risk_mentions: int
    trauma_cues: int
    unrepaired: int
    heavy: bool
    heavy_reasons: list[str]


class ThemeRow(TypedDict):
    theme: str
    sessions: list[int]
    """1-based session numbers, oldest first."""
    status: str


class MeaningQuote(TypedDict):
    session: int
    utterance: str
    quote: str


class MeaningThemeRow(TypedDict):
    theme: str
    words: list[str]
    sessions: list[int]
    status: str
    evidence: list[MeaningQuote]


class MeasurePoint(TypedDict):
    taken_on: str
    total: int
    band: str
    review: str | None
    """Why the score is for the clinician's review (PHQ-9 item 9), None when not."""


class MeasureSeries(TypedDict):
    series: list[MeasurePoint]
    change: str
    max: int


class ClientTrends(TypedDict):
    sessions: list[SessionPoint]
    themes: list[ThemeRow]
    measures: dict[str, MeasureSeries]
    """By instrument name."""
    meaning_themes: list[MeaningThemeRow]
    client_emotions: list[str]


class Baselines(TypedDict):
    """Medians over the caseload's sessions."""

    therapist_share: float | None
    rq: float | None
    percent_open: float | None
    percent_complex: float | None
    percent_change: float | None
    sessions: int


class WeekLoad(TypedDict):
    week: str
    sessions: int
    heavy: int


class HeavySession(TypedDict):
    session: str
    client: str
    date: str
    reasons: list[str]


class ClinicianTrends(TypedDict):
    baselines: Baselines
    weekly_load: list[WeekLoad]
    heavy_sessions: list[HeavySession]
    prompts: list[str]


class MeasureScore(TypedDict):
    """One scored questionnaire (PHQ-9, GAD-7) as recorded."""

    instrument: str
    answers: list[int]
    total: int
    max: int
    band: str
    taken_on: str
    review: NotRequired[str]
