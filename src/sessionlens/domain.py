"""Domain types shared by every stage.

Stages exchange these frozen, plain, serializable values (see :mod:`sessionlens.codec`
for their JSON form). Times are seconds from the start of the session, or ``None``
where the source gives none and nothing could be estimated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any


class Role(str, Enum):
    """Who a speaker is in the room."""

    THERAPIST = "therapist"
    CLIENT = "client"
    OTHER = "other"


class Timing(str, Enum):
    """How an utterance's times were obtained."""

    SOURCE = "source"  # start and end given by the source
    END_ESTIMATED = "end_estimated"  # start given, end estimated from the next start
    ESTIMATED = "estimated"  # both estimated from word counts at a typical speech rate
    # The source's times contradict the session's timeline (backwards, duplicated, ending before
    # they start, hours away): times are placed between the neighbours, the duration estimated
    # from the word count, and measures that need exact times leave the utterance out.
    INCONSISTENT = "inconsistent"
    NONE = "none"  # no times at all


@dataclass(frozen=True, slots=True)
class Word:
    """One recognised or source-given word with its times."""

    text: str
    start: float | None = None
    end: float | None = None
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Speaker:
    """A voice in the session. ``id`` is the label the source used (``"T"``, ``"SPEAKER_01"``)."""

    id: str
    name: str
    role: Role = Role.OTHER
    role_confidence: float | None = None
    role_reason: str = ""


@dataclass(frozen=True, slots=True)
class Utterance:
    """One cue, line or row of the source, in source order. Never merged with its neighbours."""

    id: str
    speaker: str
    role: Role
    start: float | None
    end: float | None
    text: str
    words: tuple[Word, ...] = ()
    confidence: float | None = None
    timing: Timing = Timing.SOURCE
    source_line: int | None = None

    @property
    def duration(self) -> float | None:
        if self.start is None or self.end is None:
            return None
        return self.end - self.start

    @property
    def word_count(self) -> int:
        return len(self.words) if self.words else len(self.text.split())


@dataclass(frozen=True, slots=True)
class Transcript:
    """A whole session as a sequence of utterances plus who spoke them."""

    utterances: tuple[Utterance, ...]
    speakers: tuple[Speaker, ...]
    source_format: str = "unknown"
    timing: Timing = Timing.SOURCE
    language: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)  # raw JSON: the source's own

    def speaker(self, speaker_id: str) -> Speaker:
        for s in self.speakers:
            if s.id == speaker_id:
                return s
        raise KeyError(speaker_id)

    @property
    def duration(self) -> float | None:
        ends = [u.end for u in self.utterances if u.end is not None]
        return max(ends) if ends else None

    def with_speakers(self, speakers: tuple[Speaker, ...]) -> Transcript:
        """Return a copy whose utterance roles follow ``speakers``."""
        roles = {s.id: s.role for s in speakers}
        utts = tuple(replace(u, role=roles.get(u.speaker, u.role)) for u in self.utterances)
        return replace(self, speakers=speakers, utterances=utts)


@dataclass(frozen=True, slots=True)
class Evidence:
    """The transcript moments a claim rests on."""

    utterance_ids: tuple[str, ...]
    start: float | None = None
    end: float | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """A derived claim with its evidence and explanation.

    ``kind`` names the family (``"silence"``, ``"role_guess"``, ``"intervention"``...),
    ``label`` the value within it, ``source`` the rule or model that produced it and
    ``explanation`` why (cue words, features, scores) in plain words.
    """

    kind: str
    label: str
    confidence: float
    evidence: tuple[Evidence, ...]
    source: str
    explanation: str
    # The kind's payload: one of the TypedDicts in ``sessionlens.payloads.findings`` (``FINDING_DATA``).
    data: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)


__all__ = ["Evidence", "Finding", "Role", "Speaker", "Timing", "Transcript", "Utterance", "Word"]
