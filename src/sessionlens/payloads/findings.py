"""The ``data`` payload of each finding kind (``Finding.data``), keyed by ``Finding.kind``.

Producers build these; ``FINDING_DATA`` maps each typed kind to its payload, and a test checks every
finding the analysis emits against it. Fields may be added, never renamed or removed.
"""

from typing import Literal

from typing_extensions import NotRequired, TypedDict

RoleName = Literal["therapist", "client", "other"]


class RoleAssignmentData(TypedDict):
    """Which speaker a role guess is about."""

    speaker: str


class InterruptionData(TypedDict):
    """Who started speaking over whom, and for how long."""

    speaker: str
    over_speaker: str
    overlap_seconds: float


class RuleHitData(TypedDict):
    """A MITI behaviour found by a rule (no training labels exist for these)."""

    code: str
    confidence: float
    why: str


class CodeData(TypedDict):
    """A coded utterance: the class probabilities and, for the therapist, subcodes and rule hits."""

    probabilities: dict[str, float]
    subcodes: list[str]
    subcode_confidence: dict[str, float]
    rules: list[RuleHitData]


class PrematureAdviceData(TypedDict):
    """Advice given right after the client's concerns, without a reflection in between."""

    utterance_id: str
    concern_ids: list[str]


class EmotionSegment(TypedDict):
    """One fifth of a role's speech: its dominant emotion and intensity (``None`` where nobody spoke)."""

    utterances: int
    dominant: str | None
    intensity: float | None
    peak_utterance: str | None
    ekman_group: NotRequired[str]
    top: NotRequired[dict[str, float]]
    ekman: NotRequired[dict[str, float]]


class EmotionArcData(TypedDict):
    """A role's emotion over the session."""

    segments: list[EmotionSegment]
    mean_intensity: float | None


class EmotionPeakData(TypedDict):
    """One utterance of high emotional intensity."""

    role: str
    intensity: float
    labels: list[str]


class ThemeData(TypedDict):
    """A theme: how often, by whom, first where, on which cue words."""

    mentions: int
    by_client: int
    by_therapist: int
    first_utterance: str
    first_start: float | None
    cue_words: dict[str, int]
    utterance_ids: list[str]


class SilenceContextData(TypedDict):
    """What a silence followed and who broke it."""

    context: str
    broken_by: str
    duration: float
    cue: str | None
    before_role: RoleName
    within_turn: bool


class YesButData(TypedDict):
    """Suggestions answered with "yes, but", chained."""

    pairs: int
    suggestions: list[str]
    replies: list[str]


class MarkerData(TypedDict):
    """One rupture marker or repair move in an utterance."""

    utterance_id: str
    kind: str
    cue: str


class RuptureData(TypedDict):
    """A rupture episode: its markers and the silences inside it."""

    markers: list[MarkerData]
    silence_seconds: list[float]


class RepairData(TypedDict):
    """The therapist's repair moves after a rupture."""

    rupture_utterance: str
    moves: list[MarkerData]
    kinds: list[str]


class HereAndNowData(TypedDict):
    """Talk about the relationship in the room."""

    role: str
    cues: list[str]


class ClientTopicData(TypedDict):
    """A topic the client brought up."""

    theme: str
    cue: str


class SelfDisclosureData(TypedDict):
    """The therapist's first-person cues."""

    cues: list[str]


class RiskData(TypedDict):
    """A risk cue: its rule ids and matched words, and how it was said."""

    category: str
    negated: bool
    words: str
    strength: str
    """explicit, indirect, context, broad, or model (no rule matched; the risk model's reading)."""
    rules: list[str]
    hypothetical: bool
    reported: bool
    speaker_role: RoleName
    asked_by_therapist: bool
    word_times: Literal["exact", "estimated"]
    reply_utterance: NotRequired[str]
    model_score: NotRequired[float]
    """Strength "model" only: the risk model's score, 0..1 (monotone in its margin, not a probability)."""
    nearest_example: NotRequired[str]
    """Strength "model" only: the closest written training sentence, whose concept the flag takes."""


class StatementData(TypedDict):
    """A plan or goal (``plan``, ``goal``): how it was stated and in whose words."""

    form: str
    """commitment, agreement, answer, summary, schedule, defer, followup, safety; goal or ability."""
    words: str
    prompt: str
    """The therapist's question or proposal it answers ("" if none)."""
    topic: str


class ConcernData(TypedDict):
    """A concern by topic and the client's most telling sentence on it."""

    topic: str
    best_id: str
    best: str


class WordsData(TypedDict):
    """The client's words a finding records (``mood``, ``closing_feeling``, ``insight``)."""

    words: str
    prompt: NotRequired[str]


class NoData(TypedDict):
    """No payload beyond the label and evidence (``alliance``, ``nonverbal``)."""


class TopicLinkData(TypedDict):
    """Two or more topics the client connected, and the words that did."""

    topics: list[str]
    words: str


class TechniqueData(TypedDict):
    """A named therapist technique; the fields present depend on the technique."""

    open_questions: NotRequired[int]
    reflections: NotRequired[int]
    topics: NotRequired[list[str]]
    topic: NotRequired[str]
    count: NotRequired[int]
    reply: NotRequired[str]
    question: NotRequired[str]


class SafetyScreenData(TypedDict):
    """A direct safety question and the polarity of the client's answer."""

    asked: list[str]
    polarity: Literal["no", "yes", "unclear"]
    reply: str


FindingData = (
    RoleAssignmentData | InterruptionData | CodeData | PrematureAdviceData | EmotionArcData | EmotionPeakData
    | ThemeData | SilenceContextData | YesButData | RuptureData | RepairData | HereAndNowData | ClientTopicData
    | SelfDisclosureData | RiskData | StatementData | ConcernData | WordsData | NoData | TopicLinkData
    | TechniqueData | SafetyScreenData
)

# Finding kind -> the TypedDict its ``data`` follows.
FINDING_DATA: dict[str, type] = {
    "role_assignment": RoleAssignmentData,
    "interruption": InterruptionData,
    "therapist_behaviour": CodeData,
    "client_talk": CodeData,
    "premature_advice": PrematureAdviceData,
    "emotion_arc": EmotionArcData,
    "emotion_peak": EmotionPeakData,
    "theme": ThemeData,
    "silence_context": SilenceContextData,
    "yes_but_chain": YesButData,
    "rupture": RuptureData,
    "repair": RepairData,
    "here_and_now": HereAndNowData,
    "client_initiated_topic": ClientTopicData,
    "self_disclosure": SelfDisclosureData,
    "risk": RiskData,
    "plan": StatementData,
    "goal": StatementData,
    "concern": ConcernData,
    "mood": WordsData,
    "insight": WordsData,
    "closing_feeling": WordsData,
    "alliance": NoData,
    "nonverbal": NoData,
    "topic_link": TopicLinkData,
    "technique": TechniqueData,
    "safety_screen": SafetyScreenData,
}
