"""Fill in the times a transcript source leaves out, and say how each was obtained.

Pure: takes (start, end, word count) spans in source order and returns complete times.

* start and end given            → Timing.SOURCE
* start given, end missing       → end = next utterance's start when that is later, else start plus
                                   the word-count estimate (last utterance, equal starts)  → END_ESTIMATED
* start missing (all or a gap)   → placed from the neighbours: a run of untimed utterances is spread
                                   over the gap in proportion to word counts; with no neighbour on a side,
                                   at ``speech_rate_wpm``                                     → ESTIMATED
* source times inconsistent      → placed like a missing start (the caller passes none), but lasting
                                   its word-count estimate, so talk time counts it at
                                   ``speech_rate_wpm`` whatever room its neighbours leave → INCONSISTENT
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..domain import Timing

DEFAULT_SPEECH_RATE_WPM = 150.0
_STRENGTH = (Timing.SOURCE, Timing.END_ESTIMATED, Timing.ESTIMATED, Timing.INCONSISTENT, Timing.NONE)


@dataclass(frozen=True, slots=True)
class Span:
    start: float | None
    end: float | None
    words: int
    inconsistent: bool = False  # the source's times were set aside (start and end are None)


@dataclass(frozen=True, slots=True)
class Timed:
    start: float
    end: float
    timing: Timing


def weakest(timings: Iterable[Timing]) -> Timing:
    """The least reliable timing among ``timings`` (Timing.NONE when empty)."""
    return max(timings, key=_STRENGTH.index, default=Timing.NONE)


def fill_times(spans: Sequence[Span], speech_rate_wpm: float = DEFAULT_SPEECH_RATE_WPM) -> list[Timed]:
    """Complete every span's start and end; see the module docstring for the rules."""
    if not speech_rate_wpm > 0:
        raise ValueError("speech_rate_wpm must be positive")
    est = [max(s.words, 1) * 60.0 / speech_rate_wpm for s in spans]
    starts: list[float | None] = [None if s.inconsistent else s.start for s in spans]
    ends: list[float | None] = [None] * len(spans)
    estimated = [False] * len(spans)
    i = 0
    while i < len(spans):
        if starts[i] is not None:
            i += 1
            continue
        j = i
        while j < len(spans) and starts[j] is None:
            j += 1
        _fill_gap(spans, est, starts, ends, i, j)
        for k in range(i, j):
            estimated[k] = True
        i = j
    return [_finish(spans, est, starts, ends, estimated, k) for k in range(len(spans))]


def _fill_gap(
    spans: Sequence[Span],
    est: list[float],
    starts: list[float | None],
    ends: list[float | None],
    i: int,
    j: int,
) -> None:
    """Place the untimed run spans[i:j] between its timed neighbours."""
    total = sum(est[i:j])
    lo = _anchor_after(spans, est, starts, i - 1) if i > 0 else None
    hi = starts[j] if j < len(spans) else None
    if lo is None and hi is None:
        lo, hi = 0.0, total
    elif lo is None:
        assert hi is not None
        lo = max(0.0, hi - total)
    elif hi is None:
        hi = lo + total
    assert lo is not None and hi is not None  # each branch above set both
    lo = min(lo, hi)  # the previous utterance may already run past the next known start
    cum = 0.0
    for k in range(i, j):
        s = lo + (hi - lo) * cum / total
        cum += est[k]
        e = lo + (hi - lo) * cum / total
        start = _ms(s)
        starts[k], ends[k] = start, max(start, _ms(e))
        given = spans[k].end
        if given is not None and given >= start:
            ends[k] = given


def _anchor_after(spans: Sequence[Span], est: list[float], starts: list[float | None], p: int) -> float:
    start = starts[p]
    assert start is not None
    given = spans[p].end
    return given if given is not None else start + est[p]


def _finish(
    spans: Sequence[Span],
    est: list[float],
    starts: list[float | None],
    ends: list[float | None],
    estimated: list[bool],
    k: int,
) -> Timed:
    start = starts[k]
    assert start is not None
    if spans[k].inconsistent:
        return Timed(start, _ms(start + est[k]), Timing.INCONSISTENT)
    if estimated[k]:
        end = ends[k]
        assert end is not None
        return Timed(start, end, Timing.ESTIMATED)
    given = spans[k].end
    if given is not None:
        return Timed(start, given, Timing.SOURCE)
    nxt = starts[k + 1] if k + 1 < len(spans) else None
    end = nxt if nxt is not None and nxt > start else max(start, _ms(start + est[k]))
    return Timed(start, end, Timing.END_ESTIMATED)


def _ms(t: float) -> float:
    # Estimates are kept to the millisecond, the precision every writer holds.
    return round(t, 3)


__all__ = ["DEFAULT_SPEECH_RATE_WPM", "Span", "Timed", "fill_times", "weakest"]
