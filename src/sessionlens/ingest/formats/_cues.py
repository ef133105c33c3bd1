"""Cue blocks shared by WebVTT and SRT: ``[id]`` / ``start --> end [settings]`` / payload lines."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from ...errors import ParseError
from ._build import RawRow, RowTimes, row_times
from ._labels import is_label
from ._timestamps import TS_PATTERN, Unreadable, parse_clock, soft

ARROW = "-->"
_TIMING = re.compile(rf"\s*({TS_PATTERN})\s*-->\s*({TS_PATTERN})(?:\s.*)?")
# Class names exclude "." so each ".class" is delimited: a "." inside the class would let the
# repetition split "<v.a.a.a…" exponentially many ways (found by a regression test below).
_VOICE = re.compile(r"<v(?:\.[\w-]{1,40})*\s+([^>]{1,80})>")
_TAG = re.compile(r"<[^>]{0,200}>|\{\\[^}]{0,100}\}")  # HTML-ish tags and ASS overrides ({\an8})
_NAME_PREFIX = re.compile(r"\s*(?:-\s*)?([^:\[\]()<>]{1,40}?)\s*:\s+")


@dataclass(slots=True)
class Cue:
    line: int  # the line of the timing
    times: RowTimes  # RawRow's time fields (an unreadable timing keeps the cue, times left out)
    payload: list[str]


def blocks(text: str) -> Iterator[tuple[int, list[str]]]:
    """Runs of non-blank lines with the number of their first line."""
    first = 0
    lines: list[str] = []
    for n, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not lines:
                first = n
            lines.append(line)
        elif lines:
            yield first, lines
            lines = []
    if lines:
        yield first, lines


def parse_cue_block(first: int, lines: list[str]) -> Cue | None:
    """A cue if the block has a timing line in position 0 or 1 (after an id), else None."""
    for k in (0, 1):
        if k < len(lines) and ARROW in lines[k]:
            line_no = first + k
            m = _TIMING.fullmatch(lines[k])
            if m is None:
                bad = Unreadable("malformed cue timing (expected '00:00:01.000 --> 00:00:02.000')")
                return Cue(line_no, row_times(bad), lines[k + 1 :])
            start, end = (soft(partial(parse_clock, ts, source=None, line=None)) for ts in m.group(1, 2))
            return Cue(line_no, row_times(start, end), lines[k + 1 :])
    return None


def cues_to_rows(text: str, source: str, *, skip_first_block: bool, default_label: str,
                 unescape: bool) -> list[RawRow]:
    """Parse every block; a block without timing continues the previous cue's text."""
    rows: list[RawRow] = []
    parts: list[list[str]] = []
    for i, (first, lines) in enumerate(blocks(text)):
        if (i == 0 and skip_first_block) or _is_meta_block(lines[0]):
            continue
        cue = parse_cue_block(first, lines)
        if cue is None:
            if not rows:
                raise ParseError("expected a cue timing line ('00:00:01.000 --> 00:00:02.000')",
                                 source=source, line=first)
            parts[-1].extend(lines)
            continue
        rows.append(RawRow(label="", text="", line=cue.line, **cue.times))
        parts.append(cue.payload)
    for row, payload in zip(rows, parts, strict=True):
        row.label, row.text = speaker_and_text(payload, default_label, unescape=unescape)
    return rows


def speaker_and_text(payload: list[str], default_label: str, *, unescape: bool) -> tuple[str, str]:
    """``<v Name>`` voice tag, else a ``Name:`` prefix, else ``default_label``; tags stripped."""
    raw = " ".join(line.strip() for line in payload)
    voice = _VOICE.search(raw)
    text = _TAG.sub("", raw)
    if unescape:
        text = html.unescape(text)
    text = " ".join(text.split())
    if voice:
        label = html.unescape(voice.group(1)) if unescape else voice.group(1)
        return " ".join(label.split()) or default_label, text
    m = _NAME_PREFIX.match(text)
    if m and is_label(m.group(1)):
        return m.group(1).strip(), text[m.end() :].strip()
    return default_label, text


def _is_meta_block(first_line: str) -> bool:
    head = first_line.strip().split(maxsplit=1)
    return bool(head) and head[0] in ("NOTE", "STYLE", "REGION") and ARROW not in first_line
