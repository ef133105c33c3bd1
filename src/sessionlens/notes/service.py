"""Drafting, end to end and pure: analysis -> writer -> grounding check -> Note."""

from __future__ import annotations

from dataclasses import replace

from ..analysis.result import SessionAnalysis
from ..errors import InputError
from .concise import DETAILS, condense, dedupe_quotes
from .formats import get_format
from .grounding import ground
from .modalities import apply_modality, check_modality
from .model import Note
from .writer_default import DefaultWriter, NoteWriter


def finding_ids(a: SessionAnalysis, kind: str) -> set[str]:
    """Utterances of the session's findings of ``kind`` (plans, goals: what a concise note keeps first)."""
    return {i for f in a.findings if f.kind == kind for e in f.evidence for i in e.utterance_ids}


def draft_note(analysis: SessionAnalysis, fmt: str = "soap", *, writer: NoteWriter | None = None,
               grounding: str = "remove", detail: str = "concise", modality: str | None = None) -> Note:
    """Write a note and keep only what the transcript supports (or mark the rest, ``grounding="mark"``).

    ``detail="concise"`` selects by salience to a clinical length; ``"full"`` keeps the exhaustive draft.
    ``modality`` (cbt, mi, psychodynamic, couples) adds or moves the section of that approach."""
    spec = apply_modality(get_format(fmt), modality)
    if detail not in DETAILS:
        raise InputError(f"unknown note detail {detail!r}; choose one of: {', '.join(DETAILS)}")
    texts = {u.id: u.text for u in analysis.transcript.utterances}
    note = dedupe_quotes((writer or DefaultWriter()).write(analysis, spec), texts)
    if detail == "concise":
        minutes = (analysis.metrics.get("duration_seconds") or 0) / 60 or None
        note = condense(note, minutes, finding_ids(analysis, "plan"), finding_ids(analysis, "goal"), texts)
    grounded, report = ground(note, analysis, grounding)
    messages = list(grounded.messages)
    if report.removed:
        messages.append(f"Grounding check: {report.removed} unsupported sentence(s) removed.")
    if report.marked:
        messages.append(f"Grounding check: {report.marked} unsupported sentence(s) marked for review.")
    return replace(grounded, draft=grounded.sections, messages=tuple(messages),
                   meta={**grounded.meta, "detail": detail, "modality": check_modality(modality), "grounding": {"checked": report.checked, "kept": report.kept,
                                                        "unsupported": len(report.reasons)}})
