"""Transcript formats: detection, parsing and writing.

Each format is a small module exposing ``FORMAT`` (name, extensions, sniff, parse, render);
every parser feeds the one builder in :mod:`._build`, so validation and timing rules are shared.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from ...domain import Transcript
from ...errors import InputError, UnsupportedFormatError
from . import csv_table, sessionlens_json, srt, text, vtt, whisper_json, word_docx
from ._base import NO, PLAUSIBLE, Format, Sample, TranscriptFormat
from ._build import Context
from ._decode import binary_error, looks_binary

MAX_FILE_BYTES = 200 * 1024 * 1024

FORMATS: Mapping[str, TranscriptFormat] = MappingProxyType(
    {
        f.name: f
        for f in (
            text.FORMAT,
            vtt.FORMAT,
            srt.FORMAT,
            whisper_json.FORMAT,
            csv_table.FORMAT,
            word_docx.FORMAT,
            sessionlens_json.FORMAT,
        )
    }
)


def detect_format(data: bytes, name: str = "") -> str:
    """The format name, judged from content; the extension of ``name`` only breaks ties."""
    return _detect(Sample(data, name or "input"), name)


def _detect(sample: Sample, name: str) -> str:
    if sample.data.startswith(word_docx.ZIP_MAGIC) and not word_docx.is_docx_zip(sample.data):
        raise UnsupportedFormatError("is a zip archive but not a DOCX document", source=sample.source)
    scores = {fmt.name: fmt.sniff(sample) for fmt in FORMATS.values()}
    best = max(scores.values())
    if best == NO:
        if looks_binary(sample.data):
            raise binary_error(sample.data, sample.source)
        sample.text()  # raises the precise decoding error (not UTF-8, offset)
        raise UnsupportedFormatError(f"no known transcript format fits ({', '.join(FORMATS)})",
                                     source=sample.source)
    if best == PLAUSIBLE and sample.json_or_none() is not None:
        raise UnsupportedFormatError(
            "is JSON but neither Whisper output (segments) nor a sessionlens transcript", source=sample.source
        )
    tied = [n for n, s in scores.items() if s == best]
    ext = Path(name).suffix.lower()
    for n in tied:
        if ext and ext in FORMATS[n].extensions:
            return n
    return tied[0]


def parse_transcript(
    data: bytes,
    *,
    source: str,
    fmt: str | None = None,
    transcript_id: str | None = None,
    speech_rate_wpm: float = 150.0,
) -> Transcript:
    """Parse ``data`` (detected unless ``fmt`` is given) into a validated Transcript."""
    if not (isinstance(speech_rate_wpm, int | float) and 0 < speech_rate_wpm < 10_000):
        raise InputError("speech rate must be a positive number of words per minute")
    sample = Sample(data, source)
    name = fmt if fmt is not None else _detect(sample, source)
    tid = None if transcript_id is None else str(transcript_id)
    ctx = Context(source=source, fmt=name, speech_rate_wpm=float(speech_rate_wpm), transcript_id=tid)
    return _format(name).parse(sample, ctx)


def load_transcript(
    path: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    transcript_id: str | None = None,
    speech_rate_wpm: float = 150.0,
) -> Transcript:
    """Read and parse a transcript file; every file-system problem is an InputError naming the path."""
    data = read_file(path)
    return parse_transcript(data, source=os.fspath(path), fmt=fmt, transcript_id=transcript_id,
                            speech_rate_wpm=speech_rate_wpm)


def read_file(path: str | os.PathLike[str], limit: int = MAX_FILE_BYTES) -> bytes:
    source = os.fspath(path)
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise InputError("is a directory, not a transcript file", source=source)
        if not stat.S_ISREG(st.st_mode):
            raise InputError("is not a regular file", source=source)
        if st.st_size > limit:
            raise InputError(f"is larger than {limit // (1024 * 1024)} MB; refused", source=source)
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except FileNotFoundError:
        raise InputError("file not found", source=source) from None
    except PermissionError:
        raise InputError("cannot be read (permission denied)", source=source) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or type(exc).__name__})", source=source) from None
    if len(data) > limit:
        raise InputError(f"is larger than {limit // (1024 * 1024)} MB; refused", source=source)
    return data


def render_transcript(t: Transcript, fmt: str) -> bytes:
    """Write ``t`` in format ``fmt`` (every format has a writer, so every format round-trips)."""
    return _format(fmt).render(t)


def _format(name: str) -> TranscriptFormat:
    try:
        return FORMATS[name]
    except KeyError:
        raise UnsupportedFormatError(f"unknown format {name[:40]!r}; known: {', '.join(FORMATS)}") from None


__all__ = [
    "FORMATS",
    "MAX_FILE_BYTES",
    "Format",
    "TranscriptFormat",
    "detect_format",
    "load_transcript",
    "parse_transcript",
    "read_file",
    "render_transcript",
]
