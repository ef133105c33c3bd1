"""Bytes → text, with clear errors for binary data and encodings we do not read."""

from __future__ import annotations

from ...errors import InputError, UnsupportedFormatError

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)
_CONTROL = frozenset(range(0, 9)) | frozenset(range(14, 32))


def has_bom(data: bytes) -> bool:
    return any(data.startswith(bom) for bom, _, _ in _BOMS)


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes near the start (and no BOM that would explain them)."""
    if has_bom(data):
        return False
    head = data[:8192]
    if not head:
        return False
    if b"\x00" in head:
        return True
    return sum(b in _CONTROL for b in head) > len(head) // 10


def binary_error(data: bytes, source: str) -> InputError:
    head = data[:4096]
    if len(head) >= 4 and head[1::2].count(0) >= 0.9 * (len(head) // 2):
        return InputError("looks like UTF-16 text without a byte-order mark; save it as UTF-8", source=source)
    return UnsupportedFormatError("binary data, not a transcript format sessionlens reads", source=source)


def decode_text(data: bytes, source: str) -> str:
    """Decode UTF-8 (with or without BOM) or BOM-marked UTF-16; newlines normalised to ``\\n``."""
    text = _decode(data, source)
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError(f"contains a NUL character (character {nul}): binary data, not text", source=source)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _decode(data: bytes, source: str) -> str:
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                offset = exc.start + len(bom)
                message = f"is not valid {label} text (bad byte at offset {offset})"
                raise InputError(message, source=source) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"is not UTF-8 text (invalid byte at offset {exc.start}); save it as UTF-8 and try again",
            source=source,
        ) from None
