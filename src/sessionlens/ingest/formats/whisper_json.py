"""JSON written by openai-whisper, faster-whisper and whisperX.

* openai-whisper CLI: ``{"text", "segments": [{"start","end","text","words":[{"word","start","end",
  "probability"}]}], "language"}``
* faster-whisper segments dumped as a list of segment objects
* whisperX: segments with ``"speaker"``; words with ``"score"`` and maybe no times

One utterance per segment (``source_line`` = segment number, 1-based); segments without a
speaker get ``"SPEAKER_00"``. Errors name the JSON path (``segments[3].start``).
"""

from __future__ import annotations

import json
from typing import Any

from typing_extensions import NotRequired, TypedDict

from ...domain import Transcript, Word
from ...errors import ParseError
from ._base import LIKELY, Format, Sample
from ._build import Context, RawRow, RowTimes, build_transcript, complete_times
from ._json import Obj, load_json

DEFAULT_LABEL = "SPEAKER_00"


def _segments_of(doc: Any) -> list[Any] | None:
    if isinstance(doc, dict) and isinstance(doc.get("segments"), list):
        return doc["segments"]
    if isinstance(doc, list) and doc and all(isinstance(s, dict) for s in doc[:5]):
        if all("start" in s and "text" in s for s in doc[:5]):
            return doc
    return None


def _sniff(sample: Sample) -> int:
    doc = sample.json_or_none()
    if isinstance(doc, dict) and doc.get("format") == "sessionlens":
        return 0
    return LIKELY if _segments_of(doc) is not None else 0


def _parse(sample: Sample, ctx: Context) -> Transcript:
    doc = load_json(sample.text(), ctx.source)
    segments = _segments_of(doc)
    if segments is None:
        raise ParseError("expected Whisper JSON: an object with a 'segments' list, or a list of segments",
                         source=ctx.source)
    top = Obj(doc, "", ctx.source) if isinstance(doc, dict) else None
    base = "segments" if top else ""
    rows = [_row(Obj(seg, f"{base}[{i}]", ctx.source), i) for i, seg in enumerate(segments)]
    language = top.opt_str("language") if top else None
    return build_transcript(rows, ctx, language=language)


def _row(seg: Obj, i: int) -> RawRow:
    words = tuple(_word(seg.item("words", k, w)) for k, w in enumerate(seg.list("words")))
    words = tuple(w for w in words if w.text)
    return RawRow(
        label=seg.str("speaker", DEFAULT_LABEL).strip() or DEFAULT_LABEL,
        text=seg.str("text", ""),
        line=i + 1,
        words=words,
        path=seg.path,
        **_times(seg),
    )


def _times(seg: Obj) -> RowTimes:
    """The segment's start and end; a value that is not a usable time keeps the segment, untimed."""
    try:
        return {"start": seg.num("start", time=True), "end": seg.num("end", time=True)}
    except ParseError:
        why = "start or end is not a time (negative, not finite or not a number)"
        return {"start": None, "end": None, "unreadable": why}


def _word(w: Obj) -> Word:
    text = w.str("word", "") or w.str("text", "")
    conf = w.num("probability") if w.has("probability") else w.num("score")
    start, end = w.num("start", time=True), w.num("end", time=True)
    return Word(text=text.strip(), start=start, end=end, confidence=conf)


class _WordOut(TypedDict):
    word: str
    start: NotRequired[float]
    end: NotRequired[float]
    probability: NotRequired[float]


class _SegmentOut(TypedDict):
    """A segment as Whisper's JSON writes it (plus the speaker)."""

    id: int
    start: float | None
    end: float | None
    text: str
    speaker: str
    words: NotRequired[list[_WordOut]]


def _render(t: Transcript) -> bytes:
    segments = []
    for i, (u, (start, end)) in enumerate(zip(t.utterances, complete_times(t), strict=True)):
        seg: _SegmentOut = {"id": i, "start": start, "end": end, "text": u.text, "speaker": u.speaker}
        if u.words:
            seg["words"] = [_word_dict(w) for w in u.words]
        segments.append(seg)
    doc = {"text": " ".join(u.text for u in t.utterances), "segments": segments, "language": t.language}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def _word_dict(w: Word) -> _WordOut:
    d: _WordOut = {"word": w.text}
    if w.start is not None:
        d["start"] = w.start
    if w.end is not None:
        d["end"] = w.end
    if w.confidence is not None:
        d["probability"] = w.confidence
    return d


FORMAT = Format("whisper_json", (".json",), _sniff, _parse, _render)
