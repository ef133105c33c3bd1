"""The grounding check removes or marks what the transcript does not support."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sessionlens.notes import draft_note
from sessionlens.notes.grounding import ground
from sessionlens.notes.model import Section, Sentence, UNSUPPORTED

from .helpers import analysis, demo

INVENTED = [
    Sentence("Client reported severe depression and daily panic attacks.", ("u4",)),  # not in u4
    Sentence("Client denies suicidal ideation.", ("u96",)),  # u96 is not a "no"
    Sentence("Client drinks 14 glasses of wine per week.", ("u49",)),  # the number is invented
    Sentence("Client said they are going to call her this weekend.", ("u999",)),  # no such utterance
    Sentence("Client reported sleeping well.", ()),  # no evidence at all
    Sentence("Risk: not assessed in this session.", basis="absence", check="no_risk_talk"),  # demo has risk talk
]


def _with_invented(note):
    secs = list(note.sections)
    secs[0] = replace(secs[0], sentences=secs[0].sentences + tuple(INVENTED))
    return replace(note, sections=tuple(secs))


def test_unsupported_sentences_are_removed():
    a = demo()
    note = _with_invented(draft_note(a, "soap"))
    grounded, report = ground(note, a, "remove")
    texts = {s.text for s in grounded.sentences()}
    assert not texts & {s.text for s in INVENTED}
    assert report.removed == len(INVENTED)
    assert all(s.text not in " ".join(report.reasons) for s in INVENTED)  # reasons carry no note text


def test_unsupported_sentences_can_be_marked_instead():
    a = demo()
    grounded, report = ground(_with_invented(draft_note(a, "soap")), a, "mark")
    marked = [s for s in grounded.sentences() if s.status == UNSUPPORTED]
    assert {s.text for s in marked} == {s.text for s in INVENTED} and report.marked == len(INVENTED)


def test_supported_paraphrase_and_true_denial_are_kept():
    a = demo()
    ok = [Sentence("Client reported they haven't been sleeping great.", ("u6",)),
          Sentence("Asked about a plan, client denied it: no.", ("u99", "u100"))]
    note = replace(draft_note(a, "soap"), sections=(Section("x", "X", tuple(ok)),))
    grounded, report = ground(note, a)
    assert report.kept == 2


def test_every_kept_sentence_cites_utterances_that_exist():
    a = demo()
    note = draft_note(a, "girp")
    ids = {u.id for u in a.transcript.utterances}
    claims = [s for s in note.sentences() if s.basis == "transcript"]
    assert claims and all(s.evidence and set(s.evidence) <= ids for s in claims)


def test_clinician_sentences_are_kept_as_theirs():
    a = demo()
    mine = Sentence("Client appeared well groomed.", basis="clinician", origin="clinician")
    note = replace(draft_note(a, "soap"), sections=(Section("x", "X", (mine,)),))
    assert ground(note, a)[1].kept == 1


def test_bad_mode_is_refused():
    with pytest.raises(ValueError):
        ground(draft_note(demo(), "soap"), demo(), "ignore")


def test_short_session_absences_hold():
    a = analysis([("T", "Hi, how are you today?"), ("C", "Fine, thanks. Busy week at work."),
                  ("T", "Tell me about it."), ("C", "Just deadlines. Nothing big.")])
    note = draft_note(a, "soap")
    assert note.meta["grounding"]["unsupported"] == 0
    assert [s.text for s in note.section("risk").sentences] == ["Risk: not assessed in this session."]
