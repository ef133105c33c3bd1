"""The default note writer: offline, no model. Composes clinical prose from the client's own
statements and the analyzers' findings, slot by slot, each sentence citing its utterances."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

from ..analysis.result import SessionAnalysis
from ..domain import Role
from ..payloads.notes_json import NoteMeta
from . import slots_client as sc
from . import slots_modality as sm
from . import slots_session as ss
from .compose import Compose
from .formats import FormatSpec
from .model import Note, Section, Sentence

SlotWriter = Callable[[Compose], list[Sentence]]

SLOTS: dict[str, SlotWriter] = {
    "concerns": sc.concerns,
    "client_report": sc.client_report,
    "goals": sc.goals,
    "plan": sc.plan,
    "observations": ss.observations,
    "mental_status": ss.mental_status,
    "interventions": ss.interventions,
    "response": ss.response,
    "themes": ss.themes,
    "relational": ss.relational,
    "risk": ss.risk,
    "cbt_cycle": sm.cbt_cycle,
    "cbt_homework": sm.cbt_homework,
    "change_talk": sm.change_talk,
    "commitment": sm.commitment,
    "partners": sm.partners,
}


class NoteWriter(Protocol):
    """Turns an analysed session into a note in a format. Implementations never raise on odd input."""

    name: str

    def write(self, analysis: SessionAnalysis, spec: FormatSpec) -> Note: ...


def has_client_speech(a: SessionAnalysis) -> bool:
    return any(u.role == Role.CLIENT and u.text.strip() for u in a.transcript.utterances)


def compose_sections(ctx: Compose, spec: FormatSpec) -> tuple[Section, ...]:
    sections = []
    for sec in spec.sections:
        sentences = merge_repeats([s for slot in sec.slots for s in SLOTS[slot](ctx)])
        if not sentences:
            sentences = [ctx.absent("Nothing for this section was identified in the transcript.", "nothing_found")]
        sections.append(Section(sec.key, sec.title, tuple(sentences)))
    return tuple(_modality_adds_only(ctx, sections))


MODALITY_KEYS = ("cbt", "mi", "partners")


def _modality_adds_only(ctx: Compose, sections: list[Section]) -> list[Section]:
    """The chosen approach's section wins: another section's sentence resting only on utterances the
    modality section cites goes (never one utterance twice), unless that would empty it."""
    cited = {i for sec in sections if sec.key in MODALITY_KEYS for s in sec.sentences for i in s.evidence}
    out = []
    for sec in sections:
        if sec.key not in MODALITY_KEYS and cited:
            kept = tuple(s for s in sec.sentences if not s.evidence or not set(s.evidence) <= cited)
            sec = replace(sec, sentences=kept or sec.sentences)
        out.append(sec)
    return out


def merge_repeats(sentences: list[Sentence]) -> list[Sentence]:
    """One sentence per wording: a repeat (two findings of one kind) adds its evidence to the first."""
    out: list[Sentence] = []
    for s in sentences:
        same = next((k for k, o in enumerate(out) if o.text == s.text and o.basis == s.basis), None)
        if same is None:
            out.append(s)
            continue
        o = out[same]
        starts = [t for t in (o.start, s.start) if t is not None]
        ends = [t for t in (o.end, s.end) if t is not None]
        out[same] = replace(o, evidence=tuple(dict.fromkeys(o.evidence + s.evidence)),
                            start=min(starts) if starts else None, end=max(ends) if ends else None)
    return out


class DefaultWriter:
    name = "default"

    def write(self, analysis: SessionAnalysis, spec: FormatSpec) -> Note:
        ctx = Compose.of(analysis)
        messages: list[str] = []
        if not has_client_speech(analysis):
            messages.append("No client speech was found in the transcript; the note holds only what the "
                            "therapist's utterances support.")
        sections = compose_sections(ctx, spec)
        return Note(format=spec.name, sections=sections, writer=self.name, messages=tuple(messages),
                    draft=sections, meta=note_meta(analysis))


def note_meta(a: SessionAnalysis) -> NoteMeta:
    t = a.transcript
    return {"utterances": len(t.utterances), "duration_seconds": a.metrics.get("duration_seconds"),
            "source_format": t.source_format}
