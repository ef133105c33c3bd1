"""The project's own JSON (``{"format": "sessionlens", ...}``, see :mod:`sessionlens.codec`).

Lossless both ways. The document is checked field by field before decoding so that a bad file
gives a ParseError naming the JSON path (``utterances[3].start``), never a KeyError. Starts are not
re-checked for order: this format holds transcripts that were validated when first imported.
"""

from __future__ import annotations

import json

from ...codec import FORMAT_NAME, transcript_from_dict, transcript_to_dict
from ...domain import Role, Timing, Transcript
from ...errors import ParseError, TimestampError, TranscriptError
from ._base import CERTAIN, Format, Sample
from ._build import Context
from ._json import Obj, load_json

_ROLES = {r.value for r in Role}
_TIMINGS = {t.value for t in Timing}


def _sniff(sample: Sample) -> int:
    doc = sample.json_or_none()
    return CERTAIN if isinstance(doc, dict) and doc.get("format") == FORMAT_NAME else 0


def _parse(sample: Sample, ctx: Context) -> Transcript:
    doc = load_json(sample.text(), ctx.source)
    top = Obj(doc, "", ctx.source)
    if top.d.get("format") != FORMAT_NAME:
        raise ParseError(f"format: expected {FORMAT_NAME!r}", source=ctx.source)
    _check_document(top)
    return transcript_from_dict(doc)


def _check_document(top: Obj) -> None:
    _str_if_present(top, "source_format")
    _enum(top, "timing", _TIMINGS)
    top.opt_str("language")
    top.obj("metadata")
    speakers = top.list("speakers", required=True)
    ids = set()
    for i, s in enumerate(speakers):
        sp = top.item("speakers", i, s)
        ids.add(sp.str("id"))
        _str_if_present(sp, "name")
        _enum(sp, "role", _ROLES)
        sp.num("role_confidence")
        _str_if_present(sp, "role_reason")
    utterances = top.list("utterances", required=True)
    if not utterances:
        raise TranscriptError("no utterances found", source=top.source)
    for i, u in enumerate(utterances):
        _check_utterance(top.item("utterances", i, u), ids)


def _check_utterance(u: Obj, speaker_ids: set[str]) -> None:
    u.str("id")
    if u.str("speaker") not in speaker_ids:
        raise u.fail("speaker", "the id of one of the listed speakers")
    _enum(u, "role", _ROLES)
    start, end = u.num("start", time=True), u.num("end", time=True)
    if start is not None and end is not None and end < start:
        raise TimestampError(f"{u.path}: negative duration (end before start)", source=u.source)
    u.str("text")
    u.num("confidence")
    _enum(u, "timing", _TIMINGS)
    u.int("source_line")
    for k, w in enumerate(u.list("words")):
        word = u.item("words", k, w)
        word.str("text")
        word.num("start", time=True)
        word.num("end", time=True)
        word.num("confidence")


def _enum(o: Obj, key: str, allowed: set[str]) -> None:
    # The codec reads these with a default for a missing key, so only null or junk is an error.
    if key in o.d and not (isinstance(o.d[key], str) and o.d[key] in allowed):
        raise o.fail(key, "one of " + ", ".join(sorted(allowed)))


def _str_if_present(o: Obj, key: str) -> None:
    if key in o.d and not isinstance(o.d[key], str):
        raise o.fail(key, "a string")


def _render(t: Transcript) -> bytes:
    return json.dumps(transcript_to_dict(t), ensure_ascii=False, indent=1, default=str).encode("utf-8")


FORMAT = Format("sessionlens_json", (".json",), _sniff, _parse, _render)
