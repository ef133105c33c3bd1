"""The one place raw parser rows become a validated :class:`Transcript`.

Every parser yields :class:`RawRow` s in source order; :func:`build_transcript` checks their
times, fills the missing ones (:mod:`sessionlens.ingest.timing`) and numbers the utterances.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ...domain import Role, Speaker, Transcript, Utterance, Word
from ...errors import TimestampError, TranscriptError
from ..timing import Span, fill_times, weakest
from ._timestamps import check_seconds, format_clock

# Whole-second sources (AnnoMI) sometimes step back by one tick where a short backchannel
# overlaps the previous utterance; within one tick of the clock that is data, not an error.
_EPS = 1e-9


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


@dataclass(frozen=True, slots=True)
class Context:
    """What a parser needs besides the bytes."""

    source: str
    fmt: str
    speech_rate_wpm: float = 150.0
    transcript_id: str | None = None


def build_transcript(
    rows: Iterable[RawRow],
    ctx: Context,
    *,
    language: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> Transcript:
    """Validate ``rows`` and turn them into a Transcript (ids ``u1, u2, …`` in source order).

    Rows without text or words are dropped. Tolerated one-tick steps back in start time are
    listed (by line or path) in ``metadata["start_backsteps"]``.
    """
    kept = [r for r in rows if r.text.strip() or r.words]
    if not kept:
        raise TranscriptError("no utterances found", source=ctx.source)
    backsteps = _validate(kept, ctx.source)
    spans = [Span(r.start, r.end, _word_count(r)) for r in kept]
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
    if backsteps:
        meta["start_backsteps"] = backsteps
    return Transcript(
        utterances=utterances,
        speakers=_speakers(kept),
        source_format=ctx.fmt,
        timing=weakest(t.timing for t in timed),
        language=language,
        metadata=meta,
    )


def _validate(rows: list[RawRow], source: str) -> list[int | str]:
    """Raise TimestampError for negative, backwards or inverted times; return tolerated backsteps."""
    backsteps: list[int | str] = []
    latest: RawRow | None = None  # the row with the latest start so far
    for r in rows:
        line = r.line if not r.path else None
        where = f"{r.path}: " if r.path else ""
        for value, what in ((r.start, "start time"), (r.end, "end time")):
            if value is not None:
                check_seconds(value, source=source, line=line, what=where + what)
        if r.start is not None and r.end is not None and r.end < r.start:
            raise TimestampError(
                f"{where}negative duration: ends at {format_clock(r.end)} before it starts at "
                f"{format_clock(r.start)}",
                source=source,
                line=line,
            )
        if r.start is None:
            continue
        if latest is not None and latest.start is not None and r.start < latest.start:
            if latest.start - r.start > max(latest.resolution, r.resolution) + _EPS:
                raise TimestampError(
                    f"{where}timestamps go backwards: {format_clock(r.start)} after "
                    f"{format_clock(latest.start)}",
                    source=source,
                    line=line,
                )
            backsteps.append(r.path or (r.line or 0))
            continue
        latest = r
    return backsteps


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
