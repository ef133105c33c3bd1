"""Plain-text transcripts with speaker labels, with or without timestamps.

One utterance per labelled line; lines without a label continue the previous utterance.
Layouts (timestamps ``h:mm:ss`` / ``mm:ss`` with optional ``.fff`` / ``,fff``)::

    [00:01:05] Therapist: text      00:01:05 Therapist: text      (1:05) T: text
    T: text      CLIENT: text      Speaker 2: text      Dr. Lee [00:01:05]: text

and the header-on-its-own-line layouts of Otter / Rev / Word exports, text on following lines::

    Speaker 1  0:03        Speaker 1 (00:00):        00:00:05 Speaker 1        Therapist:

Text before the first label (a title, a date line) is skipped and counted in
``metadata["skipped_preamble_lines"]``. A line holding only a timestamp applies to the next label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ...domain import Transcript
from ...errors import ParseError
from ._base import PLAUSIBLE, Format, Sample
from ._build import Context, RawRow, build_transcript, row_times
from ._labels import is_label, is_speakerish
from ._timestamps import TS_PATTERN, Stamp, Unreadable, format_clock, parse_clock, soft

_LEAD_TS = re.compile(rf"[\[(]?({TS_PATTERN})[\])]?(?=\s|$|[\])])\s*(?:[-–—|]\s+)?")
# "Label:" / "Label [00:01]:" — a colon followed by a digit is a time ("Speaker 2  0:12"), not a label end.
_LABEL_COLON = re.compile(rf"([^:\[\]()<>]{{1,40}}?)\s*(?:[\[(]({TS_PATTERN})[\])])?\s*:(?!\d)\s*")
_LABEL_THEN_TS = re.compile(rf"([^:\[\]()<>]{{1,40}}?)(\s+)[\[(]?({TS_PATTERN})[\])]?\s*")

LAYOUT_HELP = (
    "no speaker labels found; expected lines like 'Therapist: text', '[00:01:05] Client: text' "
    "or a label line such as 'Speaker 1  0:03' followed by the text"
)


@dataclass(slots=True)
class _Header:
    label: str
    stamp: Stamp | Unreadable | None
    text: str


def rows_from_lines(lines: Iterable[tuple[int, str]]) -> tuple[list[RawRow], int]:
    """Turn numbered lines into rows; returns (rows, skipped preamble lines)."""
    rows: list[RawRow] = []
    parts: list[str] = []  # text of the open utterance; joined once, never concatenated in a loop
    pending: Stamp | Unreadable | None = None
    skipped = 0
    for line_no, raw in lines:
        s = raw.strip()
        if not s:
            continue
        header = _header(s)
        if isinstance(header, Stamp | Unreadable):
            pending = header
            continue
        if header is None:
            if rows:
                parts.append(s)
            else:
                skipped += 1
            continue
        _close(rows, parts)
        stamp = header.stamp or pending
        pending = None
        rows.append(_row(header, stamp, line_no))
        if header.text:
            parts.append(header.text)
    _close(rows, parts)
    return rows, skipped


def _close(rows: list[RawRow], parts: list[str]) -> None:
    if rows and parts:
        rows[-1].text = " ".join(parts)
    parts.clear()


def _row(header: _Header, stamp: Stamp | Unreadable | None, line_no: int) -> RawRow:
    return RawRow(label=header.label, text="", line=line_no, **row_times(stamp))


def _header(s: str) -> _Header | Stamp | Unreadable | None:
    """A label header, a bare timestamp line, or None for plain text.

    Timestamps are only parsed once the line is known to be a header, so text that merely
    starts with a time ("5:30 was late") stays text; a malformed one in a header is kept as
    Unreadable (the utterance stays, its timing is marked inconsistent).
    """
    lead = _LEAD_TS.match(s)
    rest = s[lead.end() :] if lead else s
    lead_ts = lead.group(1) if lead else None

    def clock(ts: str) -> Stamp | Unreadable | None:
        return soft(lambda: parse_clock(ts, source=None, line=None))

    if lead_ts and not rest:
        return clock(lead_ts)
    m = _LABEL_COLON.match(rest)
    if m and is_label(m.group(1)):
        ts = lead_ts or m.group(2)
        return _Header(m.group(1).strip(), clock(ts) if ts else None, rest[m.end() :].strip())
    if lead_ts is None:
        m = _LABEL_THEN_TS.fullmatch(rest)
        if m and (is_speakerish(m.group(1)) or (is_label(m.group(1)) and len(m.group(2)) >= 2)):
            return _Header(m.group(1).strip(), clock(m.group(3)), "")
    elif is_speakerish(rest):
        return _Header(rest, clock(lead_ts), "")
    return None


def parse_text(text: str, ctx: Context, *, lines: Iterable[tuple[int, str]] | None = None) -> Transcript:
    numbered = lines if lines is not None else enumerate(text.split("\n"), start=1)
    rows, skipped = rows_from_lines(numbered)
    if not rows and text.strip():
        raise ParseError(LAYOUT_HELP, source=ctx.source)
    meta = {"skipped_preamble_lines": skipped} if skipped else {}
    return build_transcript(rows, ctx, metadata=meta)


def render_lines(t: Transcript) -> list[str]:
    """One ``[HH:MM:SS.mmm] Label: text`` line per utterance (continuation lines for embedded newlines)."""
    out: list[str] = []
    for u in t.utterances:
        first, *more = u.text.split("\n") or [""]
        prefix = f"[{format_clock(u.start)}] " if u.start is not None else ""
        out.append(f"{prefix}{u.speaker}: {first}".rstrip())
        out.extend(more)
    return out


def _sniff(sample: Sample) -> int:
    return PLAUSIBLE if sample.text_or_none() is not None else 0


def _parse(sample: Sample, ctx: Context) -> Transcript:
    return parse_text(sample.text(), ctx)


def _render(t: Transcript) -> bytes:
    return ("\n".join(render_lines(t)) + "\n").encode("utf-8")


FORMAT = Format("text", (".txt", ".text", ".md"), _sniff, _parse, _render)
