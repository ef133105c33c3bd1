"""The review page's moments (web.views.moments): findings grouped, each with the moment it links to."""

from types import SimpleNamespace

from typing_extensions import TypedDict

from .analysis_sections import ThemeSummary
from .document import SpeakerJson
from .metrics import QuestionCounts, ReflectionCounts, SilenceSummary
from .services_session_meta import SessionHeader
from .web_charts import BarChart, EmotionArcChart


class Moment(TypedDict):
    kind: str  # a readable label of the finding's kind
    label: str
    explanation: str
    confidence: float | None
    source: str
    utterance: str | None  # the first evidence utterance: the transcript and audio jump there
    start: float | None
    clock: str
    note: str


class MomentGroup(TypedDict):
    key: str
    title: str
    items: list[Moment]


class TalkRow(TypedDict):
    """One role's line in the review page's talk table."""

    role: str
    seconds: str
    share: str
    share_value: float
    wpm: float | None
    turns: int | None
    longest: str
    longest_uid: str | None


class SilenceRow(TypedDict):
    start: float
    clock: str
    seconds: str
    uid: str | None
    after: str | None
    broken_by: str | None


class SilencesView(TypedDict):
    summary: SilenceSummary | dict[str, object]
    """The analysis's silence summary; empty when it has none."""
    items: list[SilenceRow]


class CourseRow(TypedDict):
    clock: str
    change: int
    sustain: int
    neutral: int


class ClientTalkView(TypedDict):
    change: int
    sustain: int
    neutral: int
    percent_change: float | None
    course: list[CourseRow]


class InterventionsView(TypedDict):
    counts: list[tuple[str, int]]
    """Behaviour -> count, most frequent first."""
    questions: QuestionCounts | dict[str, object]
    reflections: ReflectionCounts | dict[str, object]
    rq: float | None
    cr: float | None
    rq_ref: str
    cr_ref: str
    note: str
    behaviours: list[tuple[str, int]]
    advice_ids: list[str]


class EvidenceMoment(TypedDict):
    """What the note editor's evidence pop-up shows for one utterance."""

    role: str
    clock: str
    start: float | None
    text: str


class ReviewView(TypedDict):
    """The review page's view model (web.views.review)."""

    info: SessionHeader
    duration: str
    caveats: list[str]
    speakers: list[SpeakerJson]
    lines: list[SimpleNamespace]
    """One per utterance; namespaces, as Jinja resolves ``l.id`` by attribute first."""
    talk: list[TalkRow]
    silences: SilencesView
    map: BarChart | None
    windows: BarChart | None
    arc: EmotionArcChart | None
    interventions: InterventionsView | None
    client_talk: ClientTalkView | None
    groups: list[MomentGroup]
    themes: list[ThemeSummary]
    unavailable: dict[str, str]
    corrections: int
