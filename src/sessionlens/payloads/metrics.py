"""The ``metrics`` block of the analysis: timing measures (always) and each analyzer's section.

An analyzer's section goes under its name; sections not typed here are still allowed (fields may be
added, never renamed or removed).
"""

from typing import Annotated, Literal

from annotated_types import Ge, Le
from typing_extensions import NotRequired, TypedDict

RoleName = Literal["therapist", "client", "other"]
TimingName = Literal["source", "end_estimated", "estimated", "inconsistent", "none"]
Share = Annotated[float, Ge(0), Le(1)]
Seconds = Annotated[float, Ge(0)]
Count = Annotated[int, Ge(0)]


class TalkStats(TypedDict):
    """Talk of one role or speaker."""

    seconds: Seconds
    """Seconds of speech. For a recording: the length of the speaker's speech turns (voice activity x
    speaker, untranscribed speech included); for a transcript file: the utterances' times."""
    share: Share
    """This speaker's (or role's) part of all the seconds of speech."""
    words: Count
    """Words of the utterances (for a recording, the recognised words; an "[inaudible]" stand-in counts as one)."""
    utterances: Count
    turns: Count
    words_share: NotRequired[Share]
    words_per_minute: NotRequired[float | None]
    mean_turn_seconds: NotRequired[float | None]
    median_turn_seconds: NotRequired[float | None]
    longest_turn_seconds: NotRequired[float | None]
    longest_turn_utterance_ids: NotRequired[list[str]]
    mean_turn_words: NotRequired[float | None]


class TalkWindow(TypedDict):
    """Seconds and share of talk per role in one window of the session."""

    start: float
    end: float
    seconds: dict[str, float]
    share: dict[str, Share]


class Latency(TypedDict):
    """How quickly a role answered the other."""

    count: int
    mean: float | None
    median: float | None


class OverlapItem(TypedDict):
    """One stretch of overlapping speech."""

    kind: str
    start: float
    seconds: float
    speaker: str
    role: RoleName
    over_speaker: str
    utterance_ids: list[str]


class Overlaps(TypedDict):
    """Overlapping speech: interruptions, backchannels, brief overlaps."""

    count: int
    interruptions: int
    items: list[OverlapItem]
    backchannels: NotRequired[int]
    brief_overlaps: NotRequired[int]
    interruptions_by_role: NotRequired[dict[str, int]]


class SilenceSummary(TypedDict):
    """Silences of at least the threshold."""

    threshold_seconds: float
    count: int
    total_seconds: float
    longest_seconds: NotRequired[float | None]
    broken_by_role: NotRequired[dict[str, int]]
    within_turn: NotRequired[int]


class MapTurn(TypedDict):
    """One turn on the session map."""

    speaker: str
    role: RoleName
    start: Annotated[float, Ge(0)] | None
    end: Annotated[float, Ge(0)] | None
    utterance_ids: list[str]


class TimingSlip(TypedDict):
    """An utterance whose source times do not fit the session's timeline (timing 'inconsistent'): kept in
    order, left out of silences, response latencies, overlaps and speech rate."""

    utterance: str
    where: str
    """The place in the source: 'line 191', 'segments[3]', 'table 1, row 4'."""
    problem: str


class QuestionCounts(TypedDict):
    open: int
    closed: int
    percent_open: float | None


class ReflectionCounts(TypedDict):
    simple: int
    complex: int
    percent_complex: float | None


class Interventions(TypedDict):
    """Therapist intervention measures (MI coding), with MITI 4.2.1 ranges as descriptive context."""

    utterances_coded: int
    counts: dict[str, int]
    questions: QuestionCounts
    reflections: ReflectionCounts
    reflection_to_question_ratio: float | None
    mi_adherent: int
    mi_non_adherent: int
    advice_without_permission: int
    reference: dict[str, object]
    therapist_input: NotRequired[dict[str, int]]
    miti_behaviours: NotRequired[dict[str, int]]
    advice_without_permission_ids: NotRequired[list[str]]


class CourseSegment(TypedDict):
    """Change, neutral and sustain talk in one fifth of the session."""

    segment: int
    of: int
    start: float | None
    end: float | None
    change: int
    neutral: int
    sustain: int
    change_share: float | None


class ClientTalk(TypedDict):
    """Client change / neutral / sustain talk and its course over the session."""

    utterances_coded: int
    counts: dict[str, int]
    change_to_sustain_ratio: float | None
    course: list[CourseSegment]
    percent_change_of_change_and_sustain: NotRequired[float | None]
    course_unit: NotRequired[str]


class RiskCategory(TypedDict):
    """Risk talk of one category."""

    status: str
    mentions: int
    negated: int
    by_client: int
    asked_by_therapist: int


class RiskSummary(TypedDict):
    """Whether risk was discussed, per category."""

    status: str
    mentions: int
    categories: dict[str, RiskCategory]
    note: NotRequired[str]


class MiMeasures(TypedDict):
    """The two published sections the coding analyzer adds at the top of ``metrics``."""

    interventions: Interventions
    client_talk: ClientTalk


class Metrics(TypedDict):
    """Timing measures of the session, then one section per analyzer (under its name)."""

    talk_time: dict[RoleName, TalkStats]
    """Per role."""
    speakers: dict[str, TalkStats]
    """Per speaker id."""
    turns: Count
    utterances: Count
    silence_summary: SilenceSummary
    session_map: list[MapTurn]
    duration_seconds: NotRequired[float | None]
    timing: NotRequired[TimingName]
    talk_share_windows: NotRequired[list[TalkWindow]]
    window_seconds: NotRequired[float]
    response_latency: NotRequired[dict[str, Latency]]
    overlaps: NotRequired[Overlaps]
    timing_slips: NotRequired[list[TimingSlip]]
    unavailable: NotRequired[dict[str, str]]
    """Measures that this source's timing does not allow, with the reason."""
    interventions: NotRequired[Interventions]
    client_talk: NotRequired[ClientTalk]
    risk: NotRequired[RiskSummary]
