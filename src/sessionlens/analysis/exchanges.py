"""What happens at each change of speaker: response latency, overlaps, interruptions, backchannels."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from ..domain import Role, Timing, Transcript
from .turns import Turn

BACKCHANNEL_MAX_WORDS = 3


@dataclass(frozen=True, slots=True)
class Overlap:
    kind: str  # "interruption" | "overlap" | "backchannel"
    start: float
    seconds: float
    speaker: str  # who came in
    role: Role
    over_speaker: str  # who was speaking
    utterance_ids: tuple[str, ...]  # (the one spoken over, the one coming in)


@dataclass(frozen=True, slots=True)
class Latency:
    count: int
    mean: float | None
    median: float | None


def exchanges_measurable(t: Transcript) -> str | None:
    if t.timing == Timing.INCONSISTENT:
        return ("no utterance's source times fit the session's timeline, so overlaps and response gaps "
                "are unknown")
    if t.timing != Timing.SOURCE:
        return "the source does not give both start and end times, so overlaps and response gaps are unknown"
    return None


def response_latency(t: Transcript, turns: Sequence[Turn]) -> dict[str, Latency]:
    """Gap between the end of one speaker's turn and the start of the next speaker's, per responder role.

    A change of speaker where either turn holds an utterance with inconsistent times is left out.
    """
    if exchanges_measurable(t) is not None:
        return {}
    unsure = _inconsistent(t)
    gaps: dict[str, list[float]] = {}
    for prev, nxt in zip(turns, turns[1:]):
        if prev.end is None or nxt.start is None:
            continue
        if not unsure.isdisjoint(prev.utterance_ids + nxt.utterance_ids):
            continue
        gaps.setdefault(nxt.role.value, []).append(max(nxt.start - prev.end, 0.0))
    return {
        role: Latency(len(g), round(statistics.fmean(g), 3), round(statistics.median(g), 3))
        for role, g in sorted(gaps.items())
    }


def find_overlaps(t: Transcript, interruption_overlap: float) -> tuple[Overlap, ...]:
    """Utterances that start before the previous speaker's utterance ended (inconsistent times left out)."""
    if exchanges_measurable(t) is not None:
        return ()
    out: list[Overlap] = []
    utts = t.utterances
    for prev, nxt in zip(utts, utts[1:]):
        if prev.speaker == nxt.speaker or prev.end is None or nxt.start is None or nxt.end is None:
            continue
        if Timing.INCONSISTENT in (prev.timing, nxt.timing):
            continue
        seconds = prev.end - nxt.start
        if seconds <= 0:
            continue
        inside = nxt.end <= prev.end
        if inside and nxt.word_count <= BACKCHANNEL_MAX_WORDS:
            kind = "backchannel"  # "mm-hm" inside someone else's speech: listening, not taking the floor
        elif seconds >= interruption_overlap:
            kind = "interruption"
        else:
            kind = "overlap"
        out.append(
            Overlap(kind, round(nxt.start, 3), round(seconds, 3), nxt.speaker, nxt.role, prev.speaker, (prev.id, nxt.id))
        )
    return tuple(out)


def _inconsistent(t: Transcript) -> set[str]:
    return {u.id for u in t.utterances if u.timing == Timing.INCONSISTENT}
