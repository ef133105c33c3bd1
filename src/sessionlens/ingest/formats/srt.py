"""SubRip: index line, ``00:00:01,000 --> 00:00:02,500``, text lines, blank line.

Speaker: a ``Name:`` prefix (or a ``<v Name>`` tag), else ``"Speaker"`` — the same default as
WebVTT, chosen over "Unknown" because it reads as a neutral label in reports. Formatting tags
(``<i>``, ``{\\an8}``) are stripped; SRT has no entity escaping, so ``&`` stays as written.
"""

from __future__ import annotations

import re

from ...domain import Transcript
from ._base import LIKELY, Format, Sample
from ._build import Context, build_transcript
from ._cues import cues_to_rows
from ._timestamps import TS_PATTERN, format_clock
from ._build import complete_times

DEFAULT_LABEL = "Speaker"
_SRT_HEAD = re.compile(rf"\s*\d{{1,9}}[ \t]*\n[ \t]*{TS_PATTERN}[ \t]*-->[ \t]*{TS_PATTERN}")


def _sniff(sample: Sample) -> int:
    text = sample.text_or_none()
    if text is None:
        return 0
    return LIKELY if _SRT_HEAD.match(text.lstrip("\ufeff")[:2000]) else 0


def _parse(sample: Sample, ctx: Context) -> Transcript:
    rows = cues_to_rows(sample.text().lstrip("\ufeff"), ctx.source, skip_first_block=False,
                        default_label=DEFAULT_LABEL, unescape=False)
    return build_transcript(rows, ctx)


def _render(t: Transcript) -> bytes:
    out: list[str] = []
    for n, (u, (start, end)) in enumerate(zip(t.utterances, complete_times(t), strict=True), start=1):
        out += [str(n), f"{format_clock(start, sep=',')} --> {format_clock(end, sep=',')}",
                f"{u.speaker}: {' '.join(u.text.split())}", ""]
    return "\n".join(out).encode("utf-8")


FORMAT = Format("srt", (".srt",), _sniff, _parse, _render)
