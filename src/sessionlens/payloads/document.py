"""The analysis document (``sessionlens analyze FILE --json``) and the transcript JSON it embeds.

Field names are a published contract: top-level ``utterances``, ``speakers``, ``metrics`` (with
``metrics.talk_time.<role>.seconds`` and ``.share``), ``silences`` and ``findings``. Fields may be added,
never renamed or removed.
"""

from typing import Annotated, Literal

from annotated_types import Ge, Le, MinLen
from typing_extensions import NotRequired, TypedDict

from .metrics import Metrics, RoleName, TimingName

Time = Annotated[float, Ge(0)] | None
Confidence = Annotated[float, Ge(0), Le(1)]


class WordJson(TypedDict):
    """A recognised or source-given word with its times."""

    text: str
    start: NotRequired[Time]
    end: NotRequired[Time]
    confidence: NotRequired[float | None]


class CodesJson(TypedDict):
    """The MI codes of one utterance."""

    therapist_behaviour: str | None
    therapist_subcodes: list[str]
    client_talk: str | None
    confidence: float
    probabilities: dict[str, float]


class UtteranceJson(TypedDict):
    """One source cue, line or row, in source order; never merged."""

    id: str
    speaker: str
    role: RoleName
    start: Time
    end: Time
    text: str
    timing: NotRequired[TimingName]
    confidence: NotRequired[float | None]
    source_line: NotRequired[Annotated[int, Ge(1)] | None]
    words: NotRequired[list[WordJson]]
    codes: NotRequired[CodesJson]
    """Added by the coding analyzer."""
    emotions: NotRequired[dict[str, float]]
    """Added by the emotion analyzer: probability per GoEmotions label."""
    emotion_labels: NotRequired[list[str]]


class SpeakerJson(TypedDict):
    """A voice in the session."""

    id: str
    """The label the source used."""
    name: str
    role: RoleName
    role_confidence: NotRequired[Confidence | None]
    role_reason: NotRequired[str]


class EvidenceJson(TypedDict):
    """The transcript moments a finding rests on."""

    utterance_ids: list[str]
    start: NotRequired[Time]
    end: NotRequired[Time]
    note: NotRequired[str]


class FindingJson(TypedDict):
    """A derived claim with its evidence; ``data`` follows the payload of its ``kind``."""

    kind: str
    label: str
    confidence: Confidence
    source: str
    """The rule or model that produced the finding."""
    explanation: str
    evidence: list[EvidenceJson]
    data: NotRequired[dict[str, object]]


class SilenceJson(TypedDict):
    """A gap in speech of at least the threshold. For a recording: a stretch where no voice at all was heard
    (from the speech turns, so a murmur the recogniser missed ends it); for a transcript file: a gap
    between utterances."""

    start: Annotated[float, Ge(0)]
    end: Annotated[float, Ge(0)]
    duration: Annotated[float, Ge(0)]
    before_utterance: str
    before_speaker: str
    before_role: RoleName
    after_utterance: str
    after_speaker: str
    after_role: RoleName
    within_turn: NotRequired[bool]


class AnalysisSettings(TypedDict):
    """The settings that shaped the analysis, so results can be reproduced."""

    silence_threshold: NotRequired[float]
    speech_rate_wpm: NotRequired[float]
    window_seconds: NotRequired[float]
    interruption_overlap: NotRequired[float]


class TranscriptJson(TypedDict):
    """The project's own transcript format (lossless)."""

    format: str
    version: int
    source_format: str
    timing: TimingName
    language: str | None
    metadata: dict[str, object]
    speakers: list[SpeakerJson]
    utterances: list[UtteranceJson]


# "$schema" is not a Python name, hence the functional form.
AnalysisDocument = TypedDict(
    "AnalysisDocument",
    {
        "$schema": NotRequired[str],
        "document_version": Literal[1],
        "generator": str,
        "source_format": NotRequired[str],
        "timing": TimingName,
        "caveats": NotRequired[list[str]],
        "settings": NotRequired[AnalysisSettings],
        "speakers": Annotated[list[SpeakerJson], MinLen(2)],
        "utterances": list[UtteranceJson],
        "metrics": Metrics,
        "silences": list[SilenceJson],
        "findings": list[FindingJson],
    },
)
AnalysisDocument.__doc__ = (
    "What `sessionlens analyze FILE --json` writes. Field names are a stable contract: fields may be added, "
    "never renamed or removed. Times are seconds from the start of the session."
)
