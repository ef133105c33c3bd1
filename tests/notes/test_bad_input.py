"""Odd sessions give a clear message and a safe note, never a crash or an unsupported sentence."""

from __future__ import annotations

from sessionlens.domain import Role
from sessionlens.notes import FORMATS, draft_note

from .helpers import analysis


def _grounded(note):
    assert note.meta["grounding"]["unsupported"] == 0
    assert all(s.evidence or s.basis == "absence" for s in note.sentences())


def test_session_with_no_client_speech():
    a = analysis([("T", "Hello? Are you there?"), ("T", "It seems the client has not joined."),
                  ("T", "I'll wait a few minutes.")])
    for fmt in FORMATS:
        note = draft_note(a, fmt)
        _grounded(note)
        assert any("No client speech" in m for m in note.messages)
        assert note.section("risk").sentences[0].text == "Risk: not assessed in this session."


def test_two_minute_session():
    a = analysis([("T", "Hi. Quick check-in today?"), ("C", "Yeah. I'm okay, just tired."),
                  ("T", "Anything you want for next week?"), ("C", "Same time works."),
                  ("T", "Next Tuesday then?"), ("C", "Yes, Tuesday.")], )
    assert a.transcript.duration and a.transcript.duration < 120
    for fmt in FORMATS:
        _grounded(draft_note(a, fmt))


def test_other_speakers_only_and_empty_texts():
    a = analysis([("C", ""), ("T", "")])
    note = draft_note(a, "soap")
    _grounded(note)
    assert all(sec.sentences for sec in note.sections)


def test_roles_are_respected():
    a = analysis([("T", "I'm going to call my sister this weekend."), ("C", "Okay.")])
    plan = draft_note(a, "soap").section("plan").sentences
    assert not any("call" in s.text and s.basis == "transcript" and
                   a.transcript.utterances[0].role != Role.CLIENT and "Client" in s.text for s in plan)
