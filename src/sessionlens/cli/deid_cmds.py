"""`sessionlens deidentify FILE`: a de-identified copy of any transcript, in its own format.

The copy goes to standard output (or --output, a new file); what was replaced, by type, and the
notice that no automatic de-identification is complete go to standard error. Nothing is stored.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from ..files import write_new_file
from ..lazy import lazy
from .app import app

_deid = lazy("sessionlens.deid")
_ingest = lazy("sessionlens.ingest")
_formats = lazy("sessionlens.ingest.formats")
_offline = lazy("sessionlens.offline")


@app.command("deidentify")
def deidentify(
    file: Annotated[Path, typer.Argument(help="A transcript file (any format sessionlens reads).")],
    fmt: Annotated[str | None, typer.Option("--format", help=f"Force the input format: {', '.join(_ingest.FORMATS)}.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this new file.")] = None,
) -> None:
    """Print a de-identified copy of a transcript: names, places, dates, ages, phones, e-mail and addresses
    replaced consistently (speakers become their roles). Review it: no automatic de-identification is complete."""
    if fmt is not None and fmt not in _ingest.FORMATS:
        raise InputError(f"--format must be one of: {', '.join(_ingest.FORMATS)}")
    data = _formats.read_file(file)
    with _offline.offline():
        out, used, counts = _deid.deidentify_bytes(data, source=str(file), fmt=fmt)
    if output is not None:
        write_new_file(output, out)
    elif used == "docx" and sys.stdout.isatty():
        raise InputError("a DOCX copy is binary: give --output FILE")
    else:
        sys.stdout.buffer.write(out)
        sys.stdout.flush()
    summary = ", ".join(f"{n} {k.lower()}" for k, n in sorted(counts.items())) or "nothing"
    sys.stderr.write(f"sessionlens: replaced {summary} ({used}).\nsessionlens: {_deid.NOTICE}\n")
