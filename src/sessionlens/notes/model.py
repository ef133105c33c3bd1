"""Note types: a note is sections of sentences, and every sentence names the moments it rests on.

A sentence's ``basis`` says what kind of support it has:

* ``transcript`` — it paraphrases or summarises the cited utterances (ids + times);
* ``absence`` — it states that something did *not* occur ("Risk: not assessed in this session").
  Its support is a check over the whole transcript that is re-run by the grounding check;
* ``clinician`` — written or edited by the clinician (their own authority, kept as such).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..payloads.notes_json import DraftDifference, NoteJson, NoteMeta, SectionJson, SentenceJson

TRANSCRIPT, ABSENCE, CLINICIAN = "transcript", "absence", "clinician"
SUPPORTED, UNSUPPORTED = "supported", "unsupported"
DRAFT, SIGNED = "draft", "signed"


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    evidence: tuple[str, ...] = ()  # utterance ids, in transcript order
    start: float | None = None
    end: float | None = None
    basis: str = TRANSCRIPT
    status: str = SUPPORTED  # "unsupported" only when grounding marks instead of removing
    check: str = ""  # for absence sentences: the name of the check that supports them
    origin: str = "default"  # the writer (or "clinician") that produced the sentence


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    sentences: tuple[Sentence, ...] = ()


@dataclass(frozen=True, slots=True)
class Signature:
    signer: str
    signed_at: str  # ISO 8601, UTC
    content_sha256: str
    draft_sha256: str


@dataclass(frozen=True, slots=True)
class Addendum:
    author: str
    written_at: str
    text: str
    previous_sha256: str  # hash of the signed content (or of the previous addendum): a chain
    sha256: str


@dataclass(frozen=True, slots=True)
class Note:
    format: str
    sections: tuple[Section, ...]
    writer: str = "default"
    messages: tuple[str, ...] = ()  # plain notices for the clinician (fallbacks, removed sentences); no PHI
    status: str = DRAFT
    draft: tuple[Section, ...] = ()  # the writer's original sections, kept to measure the clinician's edits
    signature: Signature | None = None
    addenda: tuple[Addendum, ...] = ()
    revision: DraftDifference = field(default_factory=DraftDifference, compare=False, hash=False)
    meta: NoteMeta = field(default_factory=NoteMeta, compare=False, hash=False)

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    def sentences(self) -> list[Sentence]:
        return [s for sec in self.sections for s in sec.sentences]

    def with_sections(self, sections: tuple[Section, ...]) -> Note:
        return replace(self, sections=sections)


# --- JSON form ----------------------------------------------------------------------------------

def sentence_to_dict(s: Sentence) -> SentenceJson:
    d: SentenceJson = {"text": s.text, "evidence": list(s.evidence), "start": s.start, "end": s.end,
                         "basis": s.basis, "status": s.status, "origin": s.origin}
    if s.check:
        d["check"] = s.check
    return d


def sentence_from_dict(d: dict[str, Any]) -> Sentence:  # raw JSON boundary: a stored note, validated here
    return Sentence(text=str(d["text"]), evidence=tuple(str(e) for e in d.get("evidence", ())),
                    start=d.get("start"), end=d.get("end"), basis=d.get("basis", TRANSCRIPT),
                    status=d.get("status", SUPPORTED), check=d.get("check", ""), origin=d.get("origin", "default"))


def section_to_dict(s: Section) -> SectionJson:
    return {"key": s.key, "title": s.title, "sentences": [sentence_to_dict(x) for x in s.sentences]}


def section_from_dict(d: dict[str, Any]) -> Section:  # raw JSON boundary: a stored note
    return Section(key=str(d.get("key") or d["title"]).lower(), title=str(d["title"]),
                   sentences=tuple(sentence_from_dict(x) for x in d.get("sentences", ())))


def note_to_dict(n: Note) -> NoteJson:
    """The published JSON form: ``{"format", "sections": [{"title", "sentences": [{"text", "evidence"}]}]}`` + extras.

    A signed note also carries ``signed_by``, ``signed_at`` and ``sha256`` at the top level, as the
    web editor's signing does, so either can read the other's notes."""
    out: NoteJson = {
        "format": n.format,
        "status": n.status,
        "writer": n.writer,
        "sections": [section_to_dict(s) for s in n.sections],
        "messages": list(n.messages),
        "draft": [section_to_dict(s) for s in n.draft],
        "signature": None if n.signature is None else {
            "signer": n.signature.signer, "signed_at": n.signature.signed_at,
            "content_sha256": n.signature.content_sha256, "draft_sha256": n.signature.draft_sha256},
        "addenda": [{"author": a.author, "written_at": a.written_at, "text": a.text,
                     "previous_sha256": a.previous_sha256, "sha256": a.sha256} for a in n.addenda],
        "revision": DraftDifference(**n.revision),
        "meta": NoteMeta(**n.meta),
    }
    if n.signature is not None:
        out["signed_by"], out["signed_at"] = n.signature.signer, n.signature.signed_at
        out["sha256"] = n.signature.content_sha256
    return out


def note_from_dict(d: dict[str, Any]) -> Note:  # raw JSON boundary: a stored or uploaded note
    sig = d.get("signature")
    if not sig and d.get("status") == SIGNED and d.get("sha256"):  # signed in the web editor
        sig = {"signer": d.get("signed_by", ""), "signed_at": d.get("signed_at", ""), "content_sha256": d["sha256"],
               "draft_sha256": d["sha256"]}
    return Note(
        format=str(d["format"]),
        sections=tuple(section_from_dict(s) for s in d.get("sections", ())),
        writer=d.get("writer", "default"),
        messages=tuple(d.get("messages", ())),
        status=d.get("status", DRAFT),
        draft=tuple(section_from_dict(s) for s in d.get("draft", ())),
        signature=None if not sig else Signature(sig["signer"], sig["signed_at"], sig["content_sha256"],
                                                 sig["draft_sha256"]),
        addenda=tuple(Addendum(a["author"], a["written_at"], a["text"], a["previous_sha256"], a["sha256"])
                      for a in d.get("addenda", ())),
        revision=DraftDifference(**(d.get("revision") or {})),
        meta=NoteMeta(**(d.get("meta") or {})),
    )
