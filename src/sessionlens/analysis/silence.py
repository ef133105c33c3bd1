"""Silences: gaps in speech of at least a threshold, with who spoke before and who broke them."""

from __future__ import annotations

from dataclasses import dataclass, replace

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
    voiced = voiced_spans(t)
    if voiced is not None:
        return _silences_from_voice(t, voiced, threshold)
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


def voiced_spans(t: Transcript) -> list[tuple[float, float]] | None:
    """A recording's voice activity (the union of its speech turns, any speaker); None without turns.

    For a recording, silence is where nobody's voice was heard, not merely where no word was
    recognised: a mumbled answer the recogniser missed still ends the silence before it."""
    turns = t.metadata.get("speech_turns") if isinstance(t.metadata, dict) else None
    if not isinstance(turns, list) or not turns:
        return None
    spans = sorted((float(x["start"]), float(x["end"])) for x in turns if isinstance(x, dict)
                   and isinstance(x.get("start"), (int, float)) and isinstance(x.get("end"), (int, float)))
    merged: list[tuple[float, float]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _silences_from_voice(t: Transcript, voiced: list[tuple[float, float]], threshold: float) -> tuple[Silence, ...]:
    """Gaps between stretches of voice, each named by the utterance before and the one after it."""
    timed = [u for u in t.utterances if u.start is not None and u.end is not None and u.timing != Timing.INCONSISTENT]
    out: list[Silence] = []
    for (_, gap_start), (gap_end, _) in zip(voiced, voiced[1:]):
        if gap_end - gap_start < threshold:
            continue
        before = [u for u in timed if (u.start or 0.0) < gap_start]
        after = [u for u in timed if (u.end or 0.0) > gap_end]
        if before and after:
            b = max(before, key=lambda u: (u.end or 0.0, u.start or 0.0))
            a = min(after, key=lambda u: (u.start or 0.0, u.end or 0.0))
            out.append(replace(_silence(b, a), start=round(gap_start, 3), end=round(gap_end, 3),
                               duration=round(gap_end - gap_start, 3)))
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
