"""The one place raw parser rows become a validated :class:`Transcript`.

Every parser yields :class:`RawRow` s in source order; :func:`build_transcript` marks the rows
whose times do not fit (:mod:`sessionlens.ingest.slips`), fills the missing ones
(:mod:`sessionlens.ingest.timing`) and numbers the utterances.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from typing_extensions import NotRequired, TypedDict

from ...domain import Role, Speaker, Timing, Transcript, Utterance, Word
from ...errors import TranscriptError
from ..slips import MAX_GAP_SECONDS, Stamped, find_slips
from ..timing import Span, Timed, fill_times, weakest
from ._timestamps import Stamp, Unreadable


@dataclass(slots=True)
class RawRow:
    """One cue / line / row / segment as the parser found it.

    ``line`` is the physical line (paragraph for DOCX, segment number for JSON);
    ``path`` names the place when a line number means nothing (``segments[3]``, ``table 1, row 4``).
    ``resolution`` is the precision the source wrote the times with (1.0 for whole seconds).
    """

    label: str
    start: float | None
    end: float | None
    text: str
    line: int | None
    words: tuple[Word, ...] = ()
    confidence: float | None = None
    resolution: float = 0.001
    path: str = ""
    unreadable: str = ""  # why the time could not be read (the row is kept, its timing inconsistent)


class RowTimes(TypedDict):
    """RawRow's time fields, as ``RawRow(**times)`` takes them."""

    start: float | None
    end: float | None
    resolution: NotRequired[float]
    unreadable: NotRequired[str]


def row_times(start: Stamp | Unreadable | None, end: Stamp | Unreadable | None = None) -> RowTimes:
    """RawRow's time fields from parsed stamps; an unreadable one leaves both times out."""
    bad = [t.reason for t in (start, end) if isinstance(t, Unreadable)]
    if bad:
        return {"start": None, "end": None, "unreadable": "; ".join(bad)}
    stamps = [t for t in (start, end) if isinstance(t, Stamp)]
    return {
        "start": start.seconds if isinstance(start, Stamp) else None,
        "end": end.seconds if isinstance(end, Stamp) else None,
        "resolution": max((t.resolution for t in stamps), default=0.001),
    }


@dataclass(frozen=True, slots=True)
class Context:
    """What a parser needs besides the bytes."""

    source: str
    fmt: str
    speech_rate_wpm: float = 150.0
    transcript_id: str | None = None
    max_gap_seconds: float = MAX_GAP_SECONDS


def build_transcript(
    rows: Iterable[RawRow],
    ctx: Context,
    *,
    language: str | None = None,
    metadata: dict[str, Any] | None = None,  # raw JSON boundary: the source's own metadata, kept as given
) -> Transcript:
    """Turn ``rows`` into a Transcript (ids ``u1, u2, …`` in source order).

    Rows without text or words are dropped; every other row is kept, in order. Rows whose times
    contradict the timeline (:mod:`sessionlens.ingest.slips`) are marked ``Timing.INCONSISTENT``
    and listed in ``metadata["timing_slips"]`` (utterance, where, problem); tolerated one-tick
    steps back in start time are listed (by line or path) in ``metadata["start_backsteps"]``.
    """
    kept = [r for r in rows if r.text.strip() or r.words]
    if not kept:
        raise TranscriptError("no utterances found", source=ctx.source)
    scan = find_slips([_stamped(r) for r in kept], ctx.max_gap_seconds)
    spans = [Span(r.start, r.end, _word_count(r), inconsistent=i in scan.slips) for i, r in enumerate(kept)]
    timed = fill_times(spans, ctx.speech_rate_wpm)
    utterances = tuple(
        Utterance(
            id=f"u{n}",
            speaker=r.label,
            role=Role.OTHER,
            start=t.start,
            end=t.end,
            text=_text(r),
            words=r.words,
            confidence=r.confidence,
            timing=t.timing,
            source_line=r.line,
        )
        for n, (r, t) in enumerate(zip(kept, timed, strict=True), start=1)
    )
    meta = dict(metadata or {})
    if scan.backsteps:
        meta["start_backsteps"] = [kept[i].path or (kept[i].line or 0) for i in scan.backsteps]
    if scan.slips:
        meta["timing_slips"] = [
            {"utterance": f"u{i + 1}", "where": _where(kept[i]), "problem": why}
            for i, why in sorted(scan.slips.items())
        ]
    return Transcript(
        utterances=utterances,
        speakers=_speakers(kept),
        source_format=ctx.fmt,
        timing=_overall(timed),
        language=language,
        metadata=meta,
    )


def _overall(timed: list[Timed]) -> Timing:
    """The weakest timing among the utterances whose times fit (INCONSISTENT when none does)."""
    fitting = [t.timing for t in timed if t.timing != Timing.INCONSISTENT]
    return weakest(fitting) if fitting else Timing.INCONSISTENT


def _stamped(r: RawRow) -> Stamped:
    return Stamped(r.start, r.end, _where(r), r.resolution, r.unreadable)


def _where(r: RawRow) -> str:
    return r.path or (f"line {r.line}" if r.line is not None else "")


def complete_times(t: Transcript, speech_rate_wpm: float = 150.0) -> list[tuple[float, float]]:
    """Every utterance's (start, end), estimating missing ones: for writers whose format needs times."""
    spans = [Span(u.start, u.end, u.word_count) for u in t.utterances]
    return [(x.start, x.end) for x in fill_times(spans, speech_rate_wpm)]


def _speakers(rows: list[RawRow]) -> tuple[Speaker, ...]:
    seen: dict[str, Speaker] = {}
    for r in rows:
        if r.label not in seen:
            seen[r.label] = Speaker(id=r.label, name=r.label, role=Role.OTHER)
    return tuple(seen.values())


def _text(r: RawRow) -> str:
    text = " ".join(r.text.split())
    return text or " ".join(w.text for w in r.words)


def _word_count(r: RawRow) -> int:
    return len(r.words) if r.words else len(r.text.split())
