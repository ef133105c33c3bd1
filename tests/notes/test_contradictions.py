"""Planted contradictions (issue 16, item 2): a note never says what its evidence or the analysis
contradicts. Each planted sentence is one a loose check would wave through; none may survive."""

from __future__ import annotations

from dataclasses import replace

from sessionlens.notes import draft_note
from sessionlens.notes.grounding import check_sentence, ground
from sessionlens.analysis.view import View
from sessionlens.notes.model import Section, Sentence

from .helpers import analysis

# No risk language anywhere: the risk analysis reports "not discussed".
CALM = [("T", "How has the week been?"), ("C", "Busy. Work deadlines piled up and I slept badly."),
        ("T", "What would help this week?"), ("C", "I'll go to bed by eleven on weeknights."),
        ("T", "Shall we meet next Tuesday?"), ("C", "Yes, Tuesday works.")]


def _plant(a, sentences):
    note = draft_note(a, "soap")
    return replace(note, sections=note.sections + (Section("planted", "Planted", tuple(sentences)),))


def test_the_calm_session_has_no_risk_finding():
    a = analysis(CALM)
    assert not [f for f in a.findings if f.kind == "risk"]
    assert [s.text for s in draft_note(a, "soap").section("risk").sentences] == ["Risk: not assessed in this session."]


def test_no_planted_contradiction_survives():
    a = analysis(CALM)
    planted = [
        Sentence("Client agreed a safety plan.", ("u4",)),  # framing words only: the old loophole
        Sentence("Client agreed a safety plan.", ("u5", "u6")),  # an agreement, but to a meeting, not a plan
        Sentence("Client said they want to kill themselves.", ("u2",)),  # risk talk the analysis says is absent
        Sentence("Client reported thoughts of suicide at work.", ("u2",)),
        Sentence("Client committed to homework.", ("u2",)),  # no commitment, no homework there
        Sentence("Client confirmed a referral to a psychiatrist.", ("u6",)),
        Sentence("Risk plan agreed.", ("u6",)),
        Sentence("Client denied risk.", ("u6",)),
    ]
    grounded, report = ground(_plant(a, planted), a)
    assert grounded.section("planted").sentences == ()
    assert report.removed == len(planted)


def test_each_planted_sentence_fails_alone_with_a_reason():
    a = analysis(CALM)
    v = View(a.transcript)
    for s in [Sentence("Client agreed a safety plan.", ("u4",)),
              Sentence("Client said they want to kill themselves.", ("u2",))]:
        verdict = check_sentence(s, a, v)
        assert not verdict.ok and verdict.reason


def test_supported_claims_are_kept():
    a = analysis(CALM + [("T", "If it gets heavy, will you call the crisis line as part of your safety plan?"),
                         ("C", "Yes, I'll call the crisis line.")])
    v = View(a.transcript)
    kept = [Sentence("Client agreed to call the crisis line as part of a safety plan.", ("u7", "u8")),
            Sentence("Next session agreed for Tuesday.", ("u5", "u6"))]
    assert all(check_sentence(s, a, v).ok for s in kept)


def test_risk_talk_in_the_session_can_be_quoted():
    a = analysis([("T", "How have things been?"), ("C", "Some nights I think everyone would be better off without me."),
                  ("T", "Thank you for telling me. Have you thought about ending your life?"), ("C", "No, never that.")])
    assert [f for f in a.findings if f.kind == "risk"]
    risk = draft_note(a, "soap").section("risk").sentences
    assert risk and risk[0].basis == "transcript"
