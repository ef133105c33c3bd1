"""Turns: runs of consecutive utterances by the same speaker (derived, never stored back)."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain import Role, Transcript


@dataclass(frozen=True, slots=True)
class Turn:
    speaker: str
    role: Role
    start: float | None
    end: float | None
    utterance_ids: tuple[str, ...]
    words: int

    @property
    def duration(self) -> float | None:
        if self.start is None or self.end is None:
            return None
        return max(self.end - self.start, 0.0)


def derive_turns(t: Transcript) -> tuple[Turn, ...]:
    """Group consecutive utterances of one speaker into turns, in order."""
    turns: list[Turn] = []
    current: list = []
    for u in t.utterances:
        if current and current[-1].speaker != u.speaker:
            turns.append(_close(current))
            current = []
        current.append(u)
    if current:
        turns.append(_close(current))
    return tuple(turns)


def _close(utts: list) -> Turn:
    starts = [u.start for u in utts if u.start is not None]
    ends = [u.end for u in utts if u.end is not None]
    return Turn(
        speaker=utts[0].speaker,
        role=utts[0].role,
        start=min(starts) if starts else None,
        end=max(ends) if ends else None,
        utterance_ids=tuple(u.id for u in utts),
        words=sum(u.word_count for u in utts),
    )
