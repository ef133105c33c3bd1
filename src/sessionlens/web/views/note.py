"""The note editor's helpers: the edits the browser sent, as one change for the notes workflow, and
each sentence's evidence resolved to the moments it rests on."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ...notes import workflow
from ...errors import InputError
from ...notes.model import DRAFT, Note
from ...payloads.document import AnalysisDocument
from ...payloads.web_note_edit import SectionEdit
from ...payloads.web_review import EvidenceMoment
from ..format import clock


def edits(sections: Sequence[SectionEdit]) -> Callable[[Note], Note]:
    """Sentence i of section k now reads ``text``: changed ones are edited, emptied ones deleted
    (from the end, so indices stay right), extra ones added. Unchanged sentences keep their basis."""

    def change(note: Note) -> Note:
        if note.status != DRAFT:  # even an edit that changes nothing must not re-store a signed note
            raise InputError("this note is signed; a signed note cannot be changed")
        wanted = {s["key"]: [x["text"] for x in s["sentences"]] for s in sections}
        for sec in note.sections:
            texts = wanted.get(sec.key)
            if texts is None:
                continue
            old = [s.text for s in sec.sentences]
            for i, text in enumerate(texts[:len(old)], start=1):
                if text.strip() and " ".join(text.split()) != old[i - 1]:
                    note = workflow.edit_sentence(note, sec.key, i, text)
            for i in range(min(len(texts), len(old)), 0, -1):
                if not texts[i - 1].strip():
                    note = workflow.delete_sentence(note, sec.key, i)
            for i in range(len(old), len(texts), 1):
                if texts[i].strip():
                    note = workflow.add_sentence(note, sec.key, texts[i])
        return note

    return change


def evidence_index(doc: AnalysisDocument) -> dict[str, EvidenceMoment]:
    """utterance id → what the evidence pop-up shows (speaker role, time, text)."""
    return {u["id"]: {"role": u.get("role"), "clock": clock(u.get("start")), "start": u.get("start"),
                      "text": u.get("text", "")} for u in doc.get("utterances", [])}
