"""The clinician's workflow over a note, as pure functions: edit, sign, addendum, verify, diff.

* Editing is allowed only on a draft; an edited or added sentence becomes the clinician's
  (basis "clinician"), keeping the evidence it had.
* Signing locks the note and stores the signer, the time and a SHA-256 of the content; the
  writer's original draft is kept, and how much the clinician changed it is recorded (a quality
  measure of the drafts).
* After signing only addenda are possible; each is chained to the hash before it.

The content hash covers the published form only — format and, per section, title and sentences'
text and evidence — so it matches the web editor's hash of the same note.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import replace

from ..errors import InputError, IntegrityError
from ..payloads.notes_json import DraftDifference, PublishedNote
from .model import CLINICIAN, DRAFT, SIGNED, Addendum, Note, Section, Sentence, Signature

MAX_TEXT = 4000


def _published(format_: str, sections: tuple[Section, ...]) -> PublishedNote:
    return {"format": format_, "sections": [{"title": s.title, "sentences": [
        {"text": x.text, "evidence": list(x.evidence)} for x in s.sentences]} for s in sections]}


def content_hash(note: Note) -> str:
    body = _published(note.format, note.sections)
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _draft_hash(note: Note) -> str:
    body = _published(note.format, note.draft or note.sections)
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _editable(note: Note) -> None:
    if note.status != DRAFT:
        raise InputError("this note is signed; a signed note cannot be changed (add an addendum instead)")


def _text(text: str) -> str:
    text = " ".join(text.split())
    if not text or len(text) > MAX_TEXT:
        raise InputError(f"a sentence needs between 1 and {MAX_TEXT} characters")
    return text


def _section_index(note: Note, key: str) -> int:
    for i, s in enumerate(note.sections):
        if s.key == key.lower() or s.title.lower() == key.lower():
            return i
    raise InputError(f"no section {key!r}; this note has: {', '.join(s.key for s in note.sections)}")


def _with_section(note: Note, i: int, sentences: tuple[Sentence, ...]) -> Note:
    secs = list(note.sections)
    secs[i] = replace(secs[i], sentences=sentences)
    return replace(note, sections=tuple(secs))


def edit_sentence(note: Note, section: str, index: int, text: str) -> Note:
    """Replace sentence ``index`` (1-based) of a section; it becomes the clinician's, evidence kept."""
    _editable(note)
    i = _section_index(note, section)
    sents = list(note.sections[i].sentences)
    if not 1 <= index <= len(sents):
        raise InputError(f"section {note.sections[i].key} has sentences 1 to {len(sents)}")
    sents[index - 1] = replace(sents[index - 1], text=_text(text), basis=CLINICIAN, origin="clinician",
                               status="supported")
    return _with_section(note, i, tuple(sents))


def add_sentence(note: Note, section: str, text: str, evidence: tuple[str, ...] = ()) -> Note:
    _editable(note)
    i = _section_index(note, section)
    new = Sentence(text=_text(text), evidence=evidence, basis=CLINICIAN, origin="clinician")
    return _with_section(note, i, note.sections[i].sentences + (new,))


def delete_sentence(note: Note, section: str, index: int) -> Note:
    _editable(note)
    i = _section_index(note, section)
    sents = list(note.sections[i].sentences)
    if not 1 <= index <= len(sents):
        raise InputError(f"section {note.sections[i].key} has sentences 1 to {len(sents)}")
    del sents[index - 1]
    return _with_section(note, i, tuple(sents))


def _lines(sections: tuple[Section, ...]) -> list[str]:
    return [f"{s.key}: {x.text}" for s in sections for x in s.sentences]


def draft_difference(note: Note) -> DraftDifference:
    """How much the clinician changed the writer's draft: sentences kept, edited, removed, added,
    and a character-level similarity of the whole text (1.0 = signed exactly as drafted)."""
    before, after = _lines(note.draft or note.sections), _lines(note.sections)
    ops = difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes()
    counts = {"kept": 0, "edited": 0, "removed": 0, "added": 0}
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            counts["kept"] += i2 - i1
        elif tag == "replace":
            common = min(i2 - i1, j2 - j1)
            counts["edited"] += common
            counts["removed"] += (i2 - i1) - common
            counts["added"] += (j2 - j1) - common
        elif tag == "delete":
            counts["removed"] += i2 - i1
        else:
            counts["added"] += j2 - j1
    ratio = difflib.SequenceMatcher(a="\n".join(before), b="\n".join(after), autojunk=False).ratio()
    return {"kept": counts["kept"], "edited": counts["edited"], "removed": counts["removed"],
            "added": counts["added"], "draft_sentences": len(before), "signed_sentences": len(after),
            "text_similarity": round(ratio, 4), "unchanged": before == after}


def sign(note: Note, signer: str, when: str) -> Note:
    _editable(note)
    if not any(x.text.strip() for x in note.sentences()):
        raise InputError("the note is empty")
    if any(x.status == "unsupported" for x in note.sentences()):
        raise InputError("the note still holds sentences marked unsupported: edit or delete them before signing")
    signature = Signature(signer=signer, signed_at=when, content_sha256=content_hash(note),
                          draft_sha256=_draft_hash(note))
    return replace(note, status=SIGNED, signature=signature, revision=draft_difference(note))


def verify(note: Note) -> None:
    """Raise IntegrityError if a signed note's content or addendum chain no longer matches its hashes."""
    if note.signature is None:
        return
    if content_hash(note) != note.signature.content_sha256:
        raise IntegrityError("the signed note's content does not match its signature hash")
    previous = note.signature.content_sha256
    for n, a in enumerate(note.addenda, 1):
        if a.previous_sha256 != previous or _addendum_hash(a.author, a.written_at, a.text, previous) != a.sha256:
            raise IntegrityError(f"addendum {n} does not match its hash chain")
        previous = a.sha256


def _addendum_hash(author: str, when: str, text: str, previous: str) -> str:
    body = json.dumps({"author": author, "written_at": when, "text": text, "previous": previous}, sort_keys=True,
                      ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def add_addendum(note: Note, author: str, when: str, text: str) -> Note:
    if note.status != SIGNED or note.signature is None:
        raise InputError("addenda are for signed notes; edit the draft instead")
    verify(note)
    text = _text(text)
    previous = note.addenda[-1].sha256 if note.addenda else note.signature.content_sha256
    a = Addendum(author, when, text, previous, _addendum_hash(author, when, text, previous))
    return replace(note, addenda=note.addenda + (a,))
