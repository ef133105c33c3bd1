"""Find the utterances whose source times contradict the session's timeline.

Pure: takes the source's (start, end) per row in source order and returns, for each row whose
times cannot be trusted, a plain-words reason. Nothing is refused and nothing is reordered: the
builder keeps every row and marks these ``Timing.INCONSISTENT``.

Rules, in this order (a row gets the first that applies):

* unreadable      the parser could not read the time (malformed, negative, not finite)
* ends before it starts
* lasts longer than ``MAX_GAP_SECONDS``
* duplicate       the same start and end as the previous timed row, where the source writes
                  both, to the sub-second (at whole seconds two short utterances often share a
                  tick; equal starts alone are two utterances begun together)
* out of order    the rows outside the longest non-decreasing run of start times. That run
                  keeps as many rows as possible, so one slipped stamp marks one row, not every
                  row after it. A step back within the source's resolution (one tick of a
                  whole-second clock: a backchannel over the previous speaker) is data, not a slip.
* gap of hours    the timeline is split where more than ``MAX_GAP_SECONDS`` pass with no speech;
                  the part with the most rows is the session, the others are marked.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass

from .formats._timestamps import format_clock

# A session has no hour-long silence; more than this between utterances is a typed-in slip
# (a wrong hour digit) or two files merged, and cannot be measured as a silence.
MAX_GAP_SECONDS = 3600.0
_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Stamped:
    """One row's source times. ``where`` locates it in messages (``line 12``, ``segments[3]``)."""

    start: float | None
    end: float | None
    where: str
    resolution: float = 0.001
    unreadable: str = ""  # the parser's reason when it could not read the time


@dataclass(frozen=True, slots=True)
class Scan:
    slips: dict[int, str]  # row index -> reason
    backsteps: list[int]  # rows tolerated one tick back (index)


def find_slips(rows: Sequence[Stamped], max_gap: float = MAX_GAP_SECONDS) -> Scan:
    """Reasons for every row whose times do not fit; see the module docstring for the rules."""
    slips = {i: why for i, r in enumerate(rows) if (why := _own_fault(r, max_gap))}
    _mark_duplicates(rows, slips)
    backsteps = _mark_out_of_order(rows, slips)
    _mark_gaps(rows, slips, max_gap)
    return Scan(slips, [i for i in backsteps if i not in slips])


def _own_fault(r: Stamped, max_gap: float) -> str:
    if r.unreadable:
        return r.unreadable
    for value in (r.start, r.end):
        if value is not None and (not math.isfinite(value) or value < 0):
            return "time is negative or not a finite number"
    if r.start is not None and r.end is not None:
        if r.end < r.start:
            return f"ends at {format_clock(r.end)} before it starts at {format_clock(r.start)}"
        if r.end - r.start > max_gap:
            return f"lasts from {format_clock(r.start)} to {format_clock(r.end)}, more than {_span(max_gap)}"
    return ""


def _timed(rows: Sequence[Stamped], slips: dict[int, str]) -> list[int]:
    return [i for i, r in enumerate(rows) if r.start is not None and i not in slips]


def _mark_duplicates(rows: Sequence[Stamped], slips: dict[int, str]) -> None:
    prev: Stamped | None = None
    for i in _timed(rows, slips):
        r = rows[i]
        fine = r.end is not None and r.resolution < 1.0
        if prev is not None and fine and (r.start, r.end) == (prev.start, prev.end):
            slips[i] = f"duplicate timestamp: the same times as {prev.where} ({_times(r)})"
            continue
        prev = r


def _mark_out_of_order(rows: Sequence[Stamped], slips: dict[int, str]) -> list[int]:
    timed = _timed(rows, slips)
    keep = _longest_run([_start(rows[i]) for i in timed])
    kept = [timed[k] for k in keep]
    kept_set = set(kept)
    backsteps: list[int] = []
    for i in timed:
        if i in kept_set:
            continue
        pos = bisect.bisect_left(kept, i)
        before = kept[pos - 1] if pos > 0 else None
        after = kept[pos] if pos < len(kept) else None
        why = _order_fault(rows, i, before, after)
        if why:
            slips[i] = why
        else:
            backsteps.append(i)
    return backsteps  # the kept starts never decrease, so only rescued rows step back


def _order_fault(rows: Sequence[Stamped], i: int, before: int | None, after: int | None) -> str:
    r, s = rows[i], _start(rows[i])
    if before is not None and s < _start(rows[before]) - _tolerance(r, rows[before]):
        b = rows[before]
        return f"timestamps go backwards: {format_clock(s)} after {format_clock(_start(b))} ({b.where})"
    if after is not None and s > _start(rows[after]) + _tolerance(r, rows[after]):
        a = rows[after]
        return f"out of order: {format_clock(s)} comes before {format_clock(_start(a))} ({a.where})"
    return ""


def _start(r: Stamped) -> float:
    assert r.start is not None  # only timed rows are compared
    return r.start


def _tolerance(a: Stamped, b: Stamped) -> float:
    return max(a.resolution, b.resolution) + _EPS


def _longest_run(values: Sequence[float]) -> list[int]:
    """Indices of a longest non-decreasing subsequence (patience sorting, O(n log n)).

    Among runs of equal length it keeps the earliest rows, so of two stamps that contradict
    only each other the later one is marked ("goes backwards"), as a reader would.
    """
    # Patience sorting keeps, among equal-length runs, the one ending lowest; run it backwards
    # over negated values so that preference falls on the start of the session instead.
    rev = [-v for v in reversed(values)]
    tails: list[float] = []
    tail_idx: list[int] = []
    prev = [-1] * len(rev)
    for k, v in enumerate(rev):
        pos = bisect.bisect_right(tails, v)
        prev[k] = tail_idx[pos - 1] if pos > 0 else -1
        if pos == len(tails):
            tails.append(v)
            tail_idx.append(k)
        else:
            tails[pos], tail_idx[pos] = v, k
    out: list[int] = []
    k = tail_idx[-1] if tail_idx else -1
    while k >= 0:
        out.append(len(rev) - 1 - k)
        k = prev[k]
    return out  # walking the reversed run back gives original indices in increasing order


def _mark_gaps(rows: Sequence[Stamped], slips: dict[int, str], max_gap: float) -> None:
    parts: list[list[int]] = []
    reach = -math.inf  # the latest moment of speech so far
    for i in _timed(rows, slips):
        r = rows[i]
        start = _start(r)
        if not parts or start - reach > max_gap:
            parts.append([])
        parts[-1].append(i)
        reach = max(reach, start if r.end is None else r.end)
    if len(parts) < 2:
        return
    main = max(range(len(parts)), key=lambda p: len(parts[p]))  # the first of the largest
    for p, part in enumerate(parts):
        if p == main:
            continue
        for i in part:
            at = format_clock(_start(rows[i]))
            slips[i] = f"{at} lies more than {_span(max_gap)} away from the rest of the session"


def _times(r: Stamped) -> str:
    start = format_clock(_start(r))
    return start if r.end is None else f"{start} --> {format_clock(r.end)}"


def _span(seconds: float) -> str:
    if seconds % 3600 == 0:
        return f"{int(seconds // 3600)} h"
    return f"{seconds:g} s"


__all__ = ["MAX_GAP_SECONDS", "Scan", "Stamped", "find_slips"]
