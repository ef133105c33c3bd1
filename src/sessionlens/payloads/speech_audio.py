"""What the speech pipeline stores in a recording's ``Transcript.metadata``: cues, vocal events, turns.

Field names are read by the reports and the web (``paralinguistics``, ``vocal_events``, ``speech_turns``);
fields may be added, never renamed or removed.
"""

from typing_extensions import NotRequired, TypedDict


class LongPause(TypedDict):
    """A pause inside an utterance of at least the long-pause threshold."""

    after_word: int
    seconds: float


class UtteranceCues(TypedDict):
    """Paralinguistic cues of one utterance (None where the audio could not tell)."""

    speech_rate_wpm: float
    syllables_per_second: float
    pause_before: float | None
    pauses_within: int
    pause_within_seconds: float
    longest_pause_within: float
    long_pauses: list[LongPause]
    fillers: list[str]
    f0_mean_hz: float | None
    f0_sd_semitones: float | None
    energy_db: float | None
    voiced_share: float | None


class VocalEvent(TypedDict):
    """A voiced stretch with no recognised words (possible laughter, sigh, other sound)."""

    start: float
    end: float
    label: str
    confidence: float
    voiced_share: float
    source: str
    after_utterance: NotRequired[str | None]
    """The utterance the event falls in or follows (added once utterances exist)."""


class SpeechTurnJson(TypedDict):
    """One speaker turn as diarization heard it."""

    speaker: str
    start: float
    end: float
    transcribed: bool
    overlap: bool


class DiarizationInfo(TypedDict):
    method: str
    speakers: int
    requested: int | None


class VoiceprintMatch(TypedDict):
    """How the enrolled voiceprint compared with each voice heard."""

    similarities: dict[str, float]
    threshold: float
    matched: str | None


class AsrInfo(TypedDict):
    backend: str
    model: str
    guards: dict[str, int]


class AudioMetadata(TypedDict):
    """``Transcript.metadata`` of a recording."""

    asr: AsrInfo
    duration: float
    speech_seconds: float
    vocal_events: list[VocalEvent]
    notes: NotRequired[list[str]]
    message: NotRequired[str]
    diarization: NotRequired[DiarizationInfo]
    speech_turns: NotRequired[list[SpeechTurnJson]]
    paralinguistics: NotRequired[dict[str, UtteranceCues]]
    """Cues per utterance id."""
    voiceprint: NotRequired[VoiceprintMatch]
