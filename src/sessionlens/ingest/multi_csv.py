"""Split a CSV that holds several transcripts (AnnoMI's layout) into one CSV per transcript."""

from __future__ import annotations

import csv
import io

from ..errors import InputError


def split_csv(data: bytes, column: str = "transcript_id", *, source: str = "input") -> dict[str, bytes]:
    """Rows grouped by ``column``, each group re-written as its own CSV with the original header."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", source=source) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = reader.fieldnames or []
    if column not in fields:
        raise InputError(f"has no {column!r} column", source=source)
    groups: dict[str, list[dict[str, str]]] = {}
    for row in reader:
        groups.setdefault(row[column], []).append(row)
    out = {}
    for key, rows in groups.items():
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
        out[key] = buf.getvalue().encode("utf-8")
    return out
