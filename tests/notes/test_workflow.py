"""Edit, sign (lock + signer + time + hash), addenda, and the draft-vs-signed difference."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sessionlens.errors import InputError, IntegrityError
from sessionlens.notes import draft_note, note_from_dict, note_to_dict
from sessionlens.notes import workflow as wf

from .helpers import demo

WHEN = "2026-11-27T20:00:00+00:00"


@pytest.fixture(scope="module")
def draft():
    return draft_note(demo(), "soap", detail="full")


def test_sign_unchanged_draft(draft):
    signed = wf.sign(draft, "helen", WHEN)
    assert signed.status == "signed" and signed.signature.signer == "helen" and signed.signature.signed_at == WHEN
    assert signed.signature.content_sha256 == wf.content_hash(draft) == signed.signature.draft_sha256
    assert signed.revision["unchanged"] and signed.revision["text_similarity"] == 1.0
    wf.verify(signed)


def test_edits_are_measured_against_the_draft(draft):
    n = wf.edit_sentence(draft, "plan", 1, "Client will close the laptop by 9 pm on weeknights.")
    n = wf.delete_sentence(n, "subjective", 2)
    n = wf.add_sentence(n, "objective", "Client arrived ten minutes late.")
    edited = n.section("plan").sentences[0]
    assert edited.basis == "clinician" and edited.evidence == draft.section("plan").sentences[0].evidence
    signed = wf.sign(n, "helen", WHEN)
    r = signed.revision
    assert (r["edited"], r["removed"], r["added"]) == (1, 1, 1) and 0.9 < r["text_similarity"] < 1.0
    assert signed.draft == draft.sections  # the writer's draft is kept beside the signed text
    assert note_from_dict(note_to_dict(signed)).revision == r


def test_signed_note_is_locked_and_takes_addenda(draft):
    signed = wf.sign(draft, "helen", WHEN)
    for change in (lambda n: wf.edit_sentence(n, "plan", 1, "x"), lambda n: wf.add_sentence(n, "plan", "x"),
                   lambda n: wf.delete_sentence(n, "plan", 1), lambda n: wf.sign(n, "helen", WHEN)):
        with pytest.raises(InputError, match="signed"):
            change(signed)
    one = wf.add_addendum(signed, "helen", WHEN, "Client phoned to confirm the Wednesday appointment.")
    two = wf.add_addendum(one, "helen", WHEN, "Second addendum.")
    assert two.addenda[1].previous_sha256 == two.addenda[0].sha256
    wf.verify(two)
    assert wf.content_hash(two) == signed.signature.content_sha256  # addenda never touch the signed body


def test_tampering_is_detected(draft):
    signed = wf.add_addendum(wf.sign(draft, "helen", WHEN), "helen", WHEN, "Addendum.")
    sec = signed.sections[0]
    forged = replace(signed, sections=(replace(sec, sentences=sec.sentences[1:]),) + signed.sections[1:])
    with pytest.raises(IntegrityError):
        wf.verify(forged)
    bad = replace(signed, addenda=(replace(signed.addenda[0], text="changed"),))
    with pytest.raises(IntegrityError):
        wf.verify(bad)


def test_addendum_needs_a_signed_note_and_marked_notes_cannot_be_signed(draft):
    with pytest.raises(InputError, match="signed notes"):
        wf.add_addendum(draft, "helen", WHEN, "x")
    sec = draft.sections[0]
    marked = replace(draft, sections=(replace(sec, sentences=(replace(sec.sentences[0], status="unsupported"),)),))
    with pytest.raises(InputError, match="marked unsupported"):
        wf.sign(marked, "helen", WHEN)


def test_bad_edit_targets(draft):
    with pytest.raises(InputError, match="no section"):
        wf.edit_sentence(draft, "nonsense", 1, "x")
    with pytest.raises(InputError, match="sentences 1 to"):
        wf.edit_sentence(draft, "plan", 999, "x")
    with pytest.raises(InputError, match="between 1 and"):
        wf.edit_sentence(draft, "plan", 1, "   ")


def test_hash_covers_the_published_form_only(draft):
    sec = draft.sections[0]
    relabelled = replace(draft, sections=(replace(sec, key="other", sentences=tuple(
        replace(x, origin="llm", basis="clinician", start=None) for x in sec.sentences)),) + draft.sections[1:])
    assert wf.content_hash(relabelled) == wf.content_hash(draft)
    sec2 = replace(sec, sentences=(replace(sec.sentences[0], evidence=("u1",)),) + sec.sentences[1:])
    assert wf.content_hash(replace(draft, sections=(sec2,) + draft.sections[1:])) != wf.content_hash(draft)
