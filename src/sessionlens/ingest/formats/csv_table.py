"""CSV / TSV with one utterance per row and a header row (the AnnoMI layout).

Columns are found by name (see :mod:`._columns`). The delimiter is the one among ``, ; tab |``
that makes the header name a text column (more reliable on transcripts than csv.Sniffer, which
guesses from the quoting of free text). Line numbers are physical lines, so a quoted multi-line
field does not shift the lines of the rows after it.

A ``transcript_id`` column holding several ids is a collection: choose one with ``transcript_id``.
Rows without a speaker column get ``"Speaker"``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from functools import partial

from ...domain import Transcript
from ...errors import InputError, ParseError
from ._base import LIKELY, PLAUSIBLE, Format, Sample
from ._build import Context, RawRow, build_transcript, row_times
from ._columns import Columns, expected_names, match_columns
from ._timestamps import parse_time_cell, soft

DEFAULT_LABEL = "Speaker"
_DELIMITERS = (",", ";", "\t", "|")


def _first_line(text: str) -> str:
    return text.lstrip("\ufeff").split("\n", 1)[0][:10_000]


def _dialect(text: str) -> tuple[str, Columns | None]:
    head = _first_line(text)
    for d in _DELIMITERS:
        cells = next(csv.reader([head], delimiter=d), [])
        cols = match_columns(cells) if len(cells) >= 2 else None
        if cols is not None:
            return d, cols
    return ",", None


def _sniff(sample: Sample) -> int:
    text = sample.text_or_none()
    if text is None:
        return 0
    _, cols = _dialect(text)
    if cols is not None:
        return LIKELY
    head = _first_line(text)
    return PLAUSIBLE if any(head.count(d) >= 1 for d in _DELIMITERS) and ":" not in head else 0


def _records(text: str, delimiter: str, source: str) -> Iterator[tuple[int, list[str]]]:
    """(physical line where the record starts, cells); csv errors become ParseError."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise ParseError("malformed CSV record (unbalanced quotes or an oversized field)",
                             source=source, line=line) from None
        yield line, cells
        line = reader.line_num + 1


def _parse(sample: Sample, ctx: Context) -> Transcript:
    text = sample.text().lstrip("\ufeff")
    if not text.strip():
        return build_transcript([], ctx)
    delimiter, cols = _dialect(text)
    if cols is None:
        message = f"no recognisable header row; expected {expected_names()}"
        raise ParseError(message, source=ctx.source, line=1)
    rows, meta = _select(list(_rows(text, delimiter, cols, ctx)), cols, ctx)
    return build_transcript([r for _, r in rows], ctx, metadata=meta)


def _rows(text: str, delimiter: str, cols: Columns, ctx: Context) -> Iterator[tuple[str, RawRow]]:
    records = _records(text, delimiter, ctx.source)
    next(records, None)  # the header
    for line, cells in records:
        if not any(c.strip() for c in cells):
            continue
        yield _cell(cells, cols.transcript_id), _row(cells, cols, line, ctx.source)


def _row(cells: list[str], cols: Columns, line: int, source: str) -> RawRow:
    start, end = (soft(partial(parse_time_cell, _cell(cells, i), source=None, line=None))
                  for i in (cols.start, cols.end))
    return RawRow(
        label=_cell(cells, cols.speaker).strip() or DEFAULT_LABEL,
        text=_cell(cells, cols.text),
        line=line,
        **row_times(start, end),
    )


def _cell(cells: list[str], i: int | None) -> str:
    return cells[i] if i is not None and i < len(cells) else ""


Tagged = list[tuple[str, RawRow]]  # (transcript id, row)


def _select(rows: Tagged, cols: Columns, ctx: Context) -> tuple[Tagged, dict[str, str]]:
    """Keep the chosen transcript's rows when the file holds several."""
    if cols.transcript_id is None:
        if ctx.transcript_id is not None:
            raise InputError("has no transcript_id column to select from", source=ctx.source)
        return rows, {}
    ids = list(dict.fromkeys(tid.strip() for tid, _ in rows))
    wanted = ctx.transcript_id
    if wanted is None:
        if len(ids) > 1:
            raise InputError(
                f"holds {len(ids)} transcripts; choose one with --transcript-id (e.g. {_some(ids)})",
                source=ctx.source,
            )
        return rows, ({"transcript_id": ids[0]} if ids else {})
    wanted = str(wanted).strip()
    if wanted not in ids:
        raise InputError(f"has no transcript {wanted!r}; it holds {len(ids)} (e.g. {_some(ids)})",
                         source=ctx.source)
    return [(t, r) for t, r in rows if t.strip() == wanted], {"transcript_id": wanted}


def _some(ids: list[str]) -> str:
    return ", ".join(ids[:5]) + (", …" if len(ids) > 5 else "")


def _render(t: Transcript) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["speaker", "start", "end", "text"])
    for u in t.utterances:
        w.writerow([u.speaker, _secs(u.start), _secs(u.end), u.text])
    return buf.getvalue().encode("utf-8")


def _secs(t: float | None) -> str:
    return "" if t is None else f"{t:.3f}"


FORMAT = Format("csv", (".csv", ".tsv"), _sniff, _parse, _render)
