"""What an upload is, judged by its bytes (never by its name or declared type).

Audio/video containers are recognised by their magic bytes. A .docx is a zip: its entries are
checked against a zip bomb (total and per-entry inflated size, ratio, entry count, nested
paths). Anything else must be UTF-8 text without NUL bytes. The client's file name is reduced
to its extension: names can identify a client, and error messages and logs must not.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from ..errors import InputError, UnsupportedFormatError

TEXT_SUFFIXES = {".txt", ".vtt", ".srt", ".json", ".csv", ".tsv", ".docx"}
AUDIO_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"RIFF", "audio/wav"), (0, b"fLaC", "audio/flac"), (0, b"ID3", "audio/mpeg"), (0, b"OggS", "audio/ogg"),
    (4, b"ftyp", "audio/mp4"), (0, b"\x1a\x45\xdf\xa3", "audio/webm"), (0, b"\xff\xfb", "audio/mpeg"),
    (0, b"\xff\xf3", "audio/mpeg"), (0, b"\xff\xf1", "audio/aac"),
)
ZIP_MAX_ENTRIES, ZIP_MAX_TOTAL, ZIP_MAX_RATIO = 500, 64 * 1024 * 1024, 200


@dataclass(frozen=True, slots=True)
class Upload:
    kind: str  # "audio" or "transcript"
    name: str  # a neutral name that keeps only the extension, e.g. "upload.vtt"
    mime: str


def suffix(name: str) -> str:
    """The extension of the last path component, whatever separators a hostile name uses."""
    base = PureWindowsPath(PurePosixPath(name.replace("\x00", "")).name).name
    ext = PurePosixPath(base).suffix.lower()
    return ext if ext.isascii() and ext[1:].isalnum() and len(ext) <= 6 else ""


def audio_type(data: bytes) -> str | None:
    for offset, magic, mime in AUDIO_MAGIC:
        if data[offset:offset + len(magic)] == magic:
            if magic == b"RIFF" and data[8:12] != b"WAVE":
                return None
            return mime
    return None


def check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            entries = zf.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise InputError("the file looks like a zip archive but cannot be read") from None
    if len(entries) > ZIP_MAX_ENTRIES:
        raise InputError("the archive has too many entries")
    total = sum(e.file_size for e in entries)
    if total > ZIP_MAX_TOTAL or total > ZIP_MAX_RATIO * max(len(data), 1):
        raise InputError("the archive would inflate to far more than its size (refused as a possible zip bomb)")
    for e in entries:
        if e.filename.startswith(("/", "\\")) or ".." in PurePosixPath(e.filename.replace("\\", "/")).parts:
            raise InputError("the archive holds an entry with an unsafe path")
    _inflate_bounded(data)


def _inflate_bounded(data: bytes) -> None:
    """Inflate every entry in memory with a running budget: declared sizes can lie."""
    budget = min(ZIP_MAX_TOTAL, ZIP_MAX_RATIO * len(data))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for e in zf.infolist():
                with zf.open(e) as fh:
                    while chunk := fh.read(1 << 16):
                        budget -= len(chunk)
                        if budget < 0:
                            raise InputError("the archive would inflate to far more than its size "
                                             "(refused as a possible zip bomb)")
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError, RuntimeError):
        raise InputError("the file looks like a zip archive but cannot be read") from None


def classify(data: bytes, name: str) -> Upload:
    if not data:
        raise InputError("the file is empty")
    ext = suffix(name)
    mime = audio_type(data)
    if mime is not None:
        return Upload("audio", f"upload{ext or '.audio'}", mime)
    if data[:4] == b"PK\x03\x04":
        check_zip(data)
        return Upload("transcript", "upload.docx", "application/vnd.openxmlformats-officedocument")
    if b"\x00" in data[:65536]:
        raise UnsupportedFormatError("the file is neither a transcript (text, subtitles, CSV, JSON, DOCX) "
                                     "nor a recognised audio format")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise UnsupportedFormatError("a transcript must be UTF-8 text") from None
    return Upload("transcript", f"upload{ext if ext in TEXT_SUFFIXES - {'.docx'} else '.txt'}", "text/plain")
