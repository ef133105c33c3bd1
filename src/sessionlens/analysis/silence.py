"""Silences: gaps in speech of at least a threshold, with who spoke before and who broke them."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain import Role, Timing, Transcript, Utterance


@dataclass(frozen=True, slots=True)
class Silence:
    start: float
    end: float
    duration: float
    before_utterance: str
    before_speaker: str
    before_role: Role
    after_utterance: str
    after_speaker: str
    after_role: Role
    within_turn: bool  # the same speaker before and after: a pause inside their own turn


def silences_measurable(t: Transcript) -> str | None:
    """Why silences cannot be measured in this transcript, or None if they can."""
    if t.timing == Timing.ESTIMATED or t.timing == Timing.NONE:
        return "the source has no times, so silences cannot be measured"
    if t.timing == Timing.END_ESTIMATED:
        return "the source gives start times only, so the end of speech (and the silence after it) is unknown"
    if t.timing == Timing.INCONSISTENT:
        return "no utterance's source times fit the session's timeline, so silences cannot be measured"
    return None


def find_silences(t: Transcript, threshold: float) -> tuple[Silence, ...]:
    """Every gap >= threshold seconds between the end of speech so far and the next utterance.

    An utterance with inconsistent times may have been spoken anywhere in the gap around it, so
    that gap is not measured (and the utterance itself is not used).
    """
    if silences_measurable(t) is not None:
        return ()
    out: list[Silence] = []
    latest: Utterance | None = None  # the utterance whose end is the latest so far (handles overlaps)
    unknown = False  # an inconsistent utterance since ``latest``: the gap to the next is unknown
    for u in t.utterances:
        if u.timing == Timing.INCONSISTENT:
            unknown = True
            continue
        if u.start is None or u.end is None:
            continue
        if latest is not None and latest.end is not None and not unknown:
            if u.start - latest.end >= threshold:
                out.append(_silence(latest, u))
        unknown = False
        if latest is None or (latest.end is not None and u.end > latest.end):
            latest = u
    return tuple(out)


def _silence(before: Utterance, after: Utterance) -> Silence:
    assert before.end is not None and after.start is not None
    return Silence(
        start=round(before.end, 3),
        end=round(after.start, 3),
        duration=round(after.start - before.end, 3),
        before_utterance=before.id,
        before_speaker=before.speaker,
        before_role=before.role,
        after_utterance=after.id,
        after_speaker=after.speaker,
        after_role=after.role,
        within_turn=before.speaker == after.speaker,
    )
