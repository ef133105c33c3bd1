"""Clock timestamps shared by every text-based format.

Accepted: ``h:mm:ss``, ``mm:ss`` (minutes may exceed 59 when there is no hour field),
each with an optional ``.fff`` or ``,fff`` fraction. Fields may carry a stray leading zero
(AnnoMI has ``00:09:025``): the numeric reading is taken as long as it is in range.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from ...errors import TimestampError

# Bounded repetition only: no nested quantifiers, so no catastrophic backtracking.
TS_PATTERN = r"\d{1,3}(?::\d{1,3}){1,2}(?:[.,]\d{1,6})?"
_CLOCK = re.compile(r"(?:(\d{1,3}):)?(\d{1,3}):(\d{1,3})(?:[.,](\d{1,6}))?")
_SECONDS = re.compile(r"(\d{1,9})(?:\.(\d{1,6}))?")


class Stamp(NamedTuple):
    """A parsed time in seconds and the resolution the source wrote it with."""

    seconds: float
    resolution: float


class Unreadable(NamedTuple):
    """A time the parser could not read; the row is kept and its timing marked inconsistent."""

    reason: str


def soft(parse: Callable[[], Stamp | None]) -> Stamp | Unreadable | None:
    """Run a time parser (called without a source or line, so its message is the bare reason)."""
    try:
        return parse()
    except TimestampError as exc:
        return Unreadable(str(exc))


def parse_clock(text: str, *, source: str | None, line: int | None, where: str = "") -> Stamp:
    """Parse ``h:mm:ss[.fff]`` / ``mm:ss[.fff]``; TimestampError when malformed or out of range.

    ``where`` prefixes the message when a line number cannot locate the value (``table 1, row 3``).
    """
    s = text.strip()
    pre = f"{where}: " if where else ""
    if s.startswith("-"):
        raise TimestampError(f"{pre}negative time", source=source, line=line)
    m = _CLOCK.fullmatch(s)
    if m is None:
        raise TimestampError(f"{pre}malformed timestamp {_quote(s)}", source=source, line=line)
    hours, minutes, seconds, frac = m.groups()
    if int(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
        message = f"{pre}malformed timestamp {_quote(s)} (field out of range)"
        raise TimestampError(message, source=source, line=line)
    total = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    return _with_fraction(total, frac)


def parse_time_cell(text: str, *, source: str | None, line: int | None, where: str = "") -> Stamp | None:
    """A table cell holding a clock time or plain seconds (``12.5``); empty → None."""
    s = text.strip()
    if not s:
        return None
    m = _SECONDS.fullmatch(s)
    if m is not None:
        return _with_fraction(int(m.group(1)), m.group(2))
    return parse_clock(s, source=source, line=line, where=where)


def format_clock(seconds: float, *, sep: str = ".") -> str:
    """``HH:MM:SS.mmm`` (``sep=","`` for SRT)."""
    ms = max(0, round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _with_fraction(whole: int, frac: str | None) -> Stamp:
    if not frac:
        return Stamp(float(whole), 1.0)
    scale = 10 ** len(frac)
    # One correctly rounded division, so "1.973" reads back as the float 1.973.
    return Stamp((whole * scale + int(frac)) / scale, 1 / scale)


def _quote(s: str) -> str:
    # Show the value only if it is made of clock characters: a table cell holding words
    # (a shifted column) would otherwise put transcript text into the message.
    if len(s) <= 16 and all(c.isdigit() or c in ":.,- " for c in s):
        return repr(s)
    return "(not a time value)"
