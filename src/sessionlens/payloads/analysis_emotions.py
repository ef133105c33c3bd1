"""The ``metrics.emotions`` section: each role's emotion arc over the session and its peaks."""

from typing_extensions import NotRequired, TypedDict

from .findings import EmotionSegment


class EmotionPeak(TypedDict):
    utterance_id: str
    start: float | None
    intensity: float
    emotion: str
    labels: list[str]


class RoleArc(TypedDict):
    """One role's speech in fifths: dominant emotion and intensity per part, the peak utterances."""

    segments: list[EmotionSegment]
    mean_intensity: float | None
    top_emotions: dict[str, int]
    """Label -> utterances it was found in (at most five)."""
    peaks: list[EmotionPeak]
    utterances_scored: int


class EmotionsMetrics(TypedDict):
    roles: dict[str, RoleArc]
    segments: int
    utterances: int
    utterances_scored: int
    low_confidence: bool
    intensity_scale: str
    note: str
    model: NotRequired[dict[str, str | float]]
    """The classifier's source and its dev-set macro-F1 (from the model artifact)."""


class UtteranceEmotions(TypedDict):
    """Fields the emotion analyzer adds to each utterance of the JSON document."""

    emotions: dict[str, float]
    emotion_labels: list[str]
