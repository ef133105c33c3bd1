"""Plain-JSON form of the domain types (lossless both ways).

The project's own transcript format *is* this form; the analysis document embeds it.
"""

from __future__ import annotations

from typing import Any

from .domain import Evidence, Finding, Role, Speaker, Timing, Transcript, Utterance, Word
from .payloads.document import EvidenceJson, FindingJson, SpeakerJson, TranscriptJson, UtteranceJson, WordJson

FORMAT_NAME = "sessionlens"
FORMAT_VERSION = 1


def _round(t: float | None) -> float | None:
    return None if t is None else round(float(t), 3)


def word_to_dict(w: Word) -> WordJson:
    return {"text": w.text, "start": _round(w.start), "end": _round(w.end), "confidence": w.confidence}


def word_from_dict(d: dict[str, Any]) -> Word:  # raw JSON in: a stored or uploaded transcript
    return Word(text=str(d["text"]), start=d.get("start"), end=d.get("end"), confidence=d.get("confidence"))


def utterance_to_dict(u: Utterance) -> UtteranceJson:
    out: UtteranceJson = {
        "id": u.id,
        "speaker": u.speaker,
        "role": u.role.value,
        "start": _round(u.start),
        "end": _round(u.end),
        "text": u.text,
        "timing": u.timing.value,
        "confidence": u.confidence,
        "source_line": u.source_line,
    }
    out["words"] = [word_to_dict(w) for w in u.words]
    return out


def utterance_from_dict(d: dict[str, Any]) -> Utterance:  # raw JSON in: read field by field
    return Utterance(
        id=str(d["id"]),
        speaker=str(d["speaker"]),
        role=Role(d.get("role", "other")),
        start=d.get("start"),
        end=d.get("end"),
        text=str(d["text"]),
        words=tuple(word_from_dict(w) for w in d.get("words") or ()),
        confidence=d.get("confidence"),
        timing=Timing(d.get("timing", "source")),
        source_line=d.get("source_line"),
    )


def speaker_to_dict(s: Speaker) -> SpeakerJson:
    return {
        "id": s.id,
        "name": s.name,
        "role": s.role.value,
        "role_confidence": s.role_confidence,
        "role_reason": s.role_reason,
    }


def speaker_from_dict(d: dict[str, Any]) -> Speaker:  # raw JSON in: read field by field
    return Speaker(
        id=str(d["id"]),
        name=str(d.get("name", d["id"])),
        role=Role(d.get("role", "other")),
        role_confidence=d.get("role_confidence"),
        role_reason=str(d.get("role_reason", "")),
    )


def transcript_to_dict(t: Transcript) -> TranscriptJson:
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "source_format": t.source_format,
        "timing": t.timing.value,
        "language": t.language,
        "metadata": dict(t.metadata),
        "speakers": [speaker_to_dict(s) for s in t.speakers],
        "utterances": [utterance_to_dict(u) for u in t.utterances],
    }


def transcript_from_dict(d: dict[str, Any]) -> Transcript:  # raw JSON in: a stored or uploaded transcript
    return Transcript(
        utterances=tuple(utterance_from_dict(u) for u in d["utterances"]),
        speakers=tuple(speaker_from_dict(s) for s in d["speakers"]),
        source_format=str(d.get("source_format", FORMAT_NAME)),
        timing=Timing(d.get("timing", "source")),
        language=d.get("language"),
        metadata=dict(d.get("metadata") or {}),
    )


def evidence_to_dict(e: Evidence) -> EvidenceJson:
    return {
        "utterance_ids": list(e.utterance_ids),
        "start": _round(e.start),
        "end": _round(e.end),
        "note": e.note,
    }


def evidence_from_dict(d: dict[str, Any]) -> Evidence:  # raw JSON in: a stored finding's evidence
    return Evidence(
        utterance_ids=tuple(d["utterance_ids"]), start=d.get("start"), end=d.get("end"), note=d.get("note", "")
    )


def finding_to_dict(f: Finding) -> FindingJson:
    return {
        "kind": f.kind,
        "label": f.label,
        "confidence": round(f.confidence, 3),
        "source": f.source,
        "explanation": f.explanation,
        "evidence": [evidence_to_dict(e) for e in f.evidence],
        "data": dict(f.data),
    }


def finding_from_dict(d: dict[str, Any]) -> Finding:  # raw JSON in: a stored finding
    return Finding(
        kind=d["kind"],
        label=d["label"],
        confidence=float(d["confidence"]),
        evidence=tuple(evidence_from_dict(e) for e in d.get("evidence", ())),
        source=d.get("source", ""),
        explanation=d.get("explanation", ""),
        data=dict(d.get("data") or {}),
    )


def plain(value: Any) -> Any:
    """Turn tuples into lists (recursively) so a value equals its own JSON round trip."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value
