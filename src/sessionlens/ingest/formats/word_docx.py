"""DOCX transcripts (Word, Otter, Rev, Descript exports), read with python-docx.

A table whose header names a text column (speaker / time / text, as in CSV) is read row by row;
otherwise the paragraphs are read with the plain-text layouts. ``line`` is the paragraph number
(1-based, empty paragraphs counted); for tables the error names ``table N, row M``.
The archive is checked before parsing: not a zip, no ``word/document.xml``, or a decompressed
size out of proportion (zip bomb) → InputError.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from ...domain import Transcript
from ...errors import InputError, ParseError
from ._base import CERTAIN, Format, Sample
from ._build import Context, RawRow, build_transcript, row_times
from ._columns import match_columns
from ._timestamps import parse_time_cell, soft
from .text import LAYOUT_HELP, render_lines, rows_from_lines

MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 200  # honest XML compresses ~10-30x; bombs compress thousands of times
ZIP_MAGIC = b"PK\x03\x04"
DEFAULT_LABEL = "Speaker"


def is_docx_zip(data: bytes) -> bool:
    if not data.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "word/document.xml" in z.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def _sniff(sample: Sample) -> int:
    return CERTAIN if is_docx_zip(sample.data) else 0


def check_archive(data: bytes, source: str) -> None:
    """Refuse non-zips, zips without a Word document, and zip bombs — before anything unpacks."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InputError("is not a DOCX file (not a readable zip archive)", source=source) from None
    if not any(i.filename == "word/document.xml" for i in infos):
        raise InputError("is a zip archive but not a DOCX document (no word/document.xml)", source=source)
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNPACKED or (total > 10 * 1024 * 1024 and total / packed > MAX_RATIO):
        raise InputError("DOCX unpacks to an implausible size (possible zip bomb); refused", source=source)


def _open(data: bytes, source: str) -> Any:
    check_archive(data, source)
    import docx  # python-docx; imported here so text-only use never pays for lxml

    try:
        return docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - third-party parser boundary: any failure means "unreadable"
        raise InputError("is not a readable DOCX document", source=source) from None


def _parse(sample: Sample, ctx: Context) -> Transcript:
    doc = _open(sample.data, ctx.source)
    rows = list(_table_rows(doc))
    if rows:
        return build_transcript(rows, ctx)
    lines = list(_paragraph_lines(doc))
    rows, skipped = rows_from_lines(lines)
    if not rows and any(s.strip() for _, s in lines):
        raise ParseError(LAYOUT_HELP + ", or a table with speaker and text columns", source=ctx.source)
    return build_transcript(rows, ctx, metadata={"skipped_preamble_lines": skipped} if skipped else {})


def _paragraph_lines(doc: Any) -> Iterator[tuple[int, str]]:
    for n, p in enumerate(doc.paragraphs, start=1):
        for line in p.text.split("\n"):  # soft line breaks (<w:br/>) inside one paragraph
            yield n, line


def _table_rows(doc: Any) -> Iterator[RawRow]:
    for t_no, table in enumerate(doc.tables, start=1):
        cells = [[c.text for c in row.cells] for row in table.rows]
        cols = match_columns(cells[0]) if cells else None
        if cols is None:
            continue
        for r_no, row in enumerate(cells[1:], start=2):
            where = f"table {t_no}, row {r_no}"
            yield _table_row(row, cols, where, r_no)


def _table_row(row: list[str], cols: Any, where: str, r_no: int) -> RawRow:
    def cell(i: int | None) -> str:
        return row[i] if i is not None and i < len(row) else ""

    def time(i: int | None) -> Any:
        return soft(lambda: parse_time_cell(cell(i), source=None, line=None))

    return RawRow(
        label=cell(cols.speaker).strip() or DEFAULT_LABEL,
        text=cell(cols.text),
        line=r_no,
        path=where,
        **row_times(time(cols.start), time(cols.end)),
    )


def _render(t: Transcript) -> bytes:
    import docx

    document = docx.Document()
    for line in render_lines(t):
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


FORMAT = Format("docx", (".docx",), _sniff, _parse, _render)
