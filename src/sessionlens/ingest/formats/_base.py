"""What every transcript format provides, and the input a sniffer looks at."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from ...domain import Transcript
from ...errors import InputError
from ._build import Context
from ._decode import decode_text, looks_binary

# Sniff scores. Detection takes the highest; the file extension only breaks ties.
NO, PLAUSIBLE, LIKELY, CERTAIN = 0, 1, 2, 3


class TranscriptFormat(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def extensions(self) -> tuple[str, ...]: ...

    def sniff(self, sample: Sample) -> int: ...

    def parse(self, sample: Sample, ctx: Context) -> Transcript: ...

    def render(self, t: Transcript) -> bytes: ...


@dataclass(frozen=True, slots=True)
class Format:
    """A format made of plain functions (each format module builds one)."""

    name: str
    extensions: tuple[str, ...]
    sniff: Callable[[Sample], int]
    parse: Callable[[Sample, Context], Transcript]
    render: Callable[[Transcript], bytes]


_UNSET: Any = object()


@dataclass(slots=True)
class Sample:
    """The input bytes plus lazily decoded views, computed once and shared by sniffers and parser."""

    data: bytes
    source: str
    _text: Any = field(default=_UNSET, repr=False)
    _json: Any = field(default=_UNSET, repr=False)

    def text(self) -> str:
        """Decoded text; InputError when the bytes are not text we read."""
        if self._text is _UNSET:
            self._text = decode_text(self.data, self.source)
        return self._text

    def text_or_none(self) -> str | None:
        if looks_binary(self.data):
            return None
        try:
            return self.text()
        except InputError:  # sniffing only; the parser reports the real error
            return None

    def json_or_none(self) -> Any:
        """Parsed JSON if the text is JSON, else None (sniffing helper)."""
        if self._json is _UNSET:
            self._json = None
            text = self.text_or_none()
            if text is not None and text.lstrip()[:1] in ("{", "["):
                try:
                    self._json = json.loads(text)
                except (ValueError, RecursionError):
                    pass
        return self._json
