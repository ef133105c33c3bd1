"""WebVTT: header, cue ids, timings with settings, NOTE/STYLE/REGION blocks, ``<v Name>`` voices.

Speaker: the cue's ``<v Name>`` (or ``<v.class Name>``) voice tag, else a ``Name:`` prefix,
else ``"Speaker"``. Multi-line cues are joined with spaces; inline tags are stripped and entities
unescaped. A cue holding several voices is kept as one utterance under the first voice.
"""

from __future__ import annotations

import html

from ...domain import Transcript
from ...errors import ParseError
from ._base import CERTAIN, Format, Sample
from ._build import Context, build_transcript
from ._cues import cues_to_rows
from ._timestamps import format_clock
from ._build import complete_times

DEFAULT_LABEL = "Speaker"


def _sniff(sample: Sample) -> int:
    text = sample.text_or_none()
    return CERTAIN if text is not None and text.lstrip("\ufeff").startswith("WEBVTT") else 0


def _parse(sample: Sample, ctx: Context) -> Transcript:
    text = sample.text().lstrip("\ufeff")
    if not text.strip():
        return build_transcript([], ctx)
    head = text.split("\n", 1)[0]
    if not head.startswith("WEBVTT") or (len(head) > 6 and head[6] not in " \t"):
        raise ParseError("missing 'WEBVTT' header on the first line", source=ctx.source, line=1)
    rows = cues_to_rows(text, ctx.source, skip_first_block=True, default_label=DEFAULT_LABEL, unescape=True)
    return build_transcript(rows, ctx)


def _render(t: Transcript) -> bytes:
    out = ["WEBVTT", ""]
    for u, (start, end) in zip(t.utterances, complete_times(t), strict=True):
        name = " ".join(u.speaker.replace(">", " ").split()) or DEFAULT_LABEL
        out += [u.id, f"{format_clock(start)} --> {format_clock(end)}",
                f"<v {name}>{html.escape(' '.join(u.text.split()), quote=False)}", ""]
    return "\n".join(out).encode("utf-8")


FORMAT = Format("vtt", (".vtt",), _sniff, _parse, _render)
