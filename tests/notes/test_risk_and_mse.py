"""Risk wording ("not assessed" unless there is risk talk; "denied" only when asked and answered no)
and mental status only with evidence."""

from __future__ import annotations

from sessionlens.notes import draft_note

from .helpers import analysis, demo, demo_with_findings

NO_RISK = [("T", "What brings you in today?"), ("C", "I want to sleep better. I've been stressed at work."),
           ("T", "What have you tried?"), ("C", "Cutting coffee, mostly. It helped a bit."),
           ("T", "What would you like to try this week?"), ("C", "I'm going to stop screens at ten.")]


def test_risk_not_assessed_without_risk_talk():
    note = draft_note(analysis(NO_RISK), "soap")
    risk = note.section("risk").sentences
    assert [s.text for s in risk] == ["Risk: not assessed in this session."]
    body = " ".join(s.text.lower() for s in note.sentences())
    assert "denies" not in body and "denied" not in body and "no risk" not in body


def test_risk_section_holds_the_demo_risk_statement_and_safety_questions():
    for a in (demo(), demo_with_findings()):
        risk = draft_note(a, "soap", detail="full").section("risk").sentences
        cited = {i for s in risk for i in s.evidence}
        assert {"u96", "u97", "u98", "u99", "u100"} <= cited
        denied = [s for s in risk if "denied" in s.text]
        assert denied and all({"u98", "u100"} & set(s.evidence) for s in denied)
        assert "not assessed" not in " ".join(s.text for s in risk)


def test_denial_only_when_the_client_said_no():
    lines = [("T", "Have you had any thoughts of killing yourself?"), ("C", "Sometimes, yes. Late at night.")]
    risk = draft_note(analysis(lines), "soap").section("risk").sentences
    assert risk and not any("denied" in s.text for s in risk)


def test_mental_status_only_with_evidence():
    for detail in ("concise", "full"):
        note = draft_note(analysis(NO_RISK), "soap", detail=detail)
        obj = [s.text for s in note.section("objective").sentences]
        assert not any(w in " ".join(obj).lower() for w in ("oriented", "within normal limits", "well groomed",
                                                           "denies si", "appropriate"))
    assert "Mental-status domains not listed here are not documented from this session's transcript." in obj


def test_demo_mental_status_items_cite_the_client():
    obj = draft_note(demo(), "soap", detail="full").section("objective").sentences
    mood = next(s for s in obj if s.text.startswith("Mood"))
    assert "u4" in mood.evidence and "Tired" in mood.text
    affect = next(s for s in obj if s.text.startswith("Affect"))
    assert set(affect.evidence) == {"u23", "u65"}  # [laughs], [sighs]
