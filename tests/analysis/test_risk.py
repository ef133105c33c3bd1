"""Risk language: the hand-written examples the rules were built from, negation, idioms, robustness, demo."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessionlens.analysis.risk import NOT_ASSESSED, NOT_DISCUSSED, find_risk, risk_findings, scan_text
from sessionlens.analysis.risk.detect import scan_utterance
from sessionlens.domain import Role, Transcript, Utterance, Word

from .affect_helpers import C, T, demo_transcript, session


def cats(text: str) -> set[str]:
    return {c for c, _, _ in scan_text(text)}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Sometimes I think about killing myself.", "suicidal_ideation"),
        ("I've had thoughts of ending my life.", "suicidal_ideation"),
        ("Everyone would be better off without me.", "suicidal_ideation"),
        ("Some nights I wonder what the point of any of it is.", "suicidal_ideation"),
        ("I just don't want to be here anymore.", "suicidal_ideation"),
        ("I wish I could go to sleep and not wake up.", "suicidal_ideation"),
        ("I've been cutting again, on my arms.", "self_harm"),
        ("When it gets bad I burn myself.", "self_harm"),
        ("I swear I could kill him for what he did.", "harm_to_others"),
        ("I keep having violent thoughts about my neighbour.", "harm_to_others"),
        ("He hits me when he's been drinking.", "abuse_neglect"),
        ("She leaves the kids home alone for days.", "abuse_neglect"),
        ("I was sexually abused as a child.", "abuse_neglect"),
        ("I blacked out again on Saturday and woke up somewhere I didn't know.", "substance_crisis"),
        ("I think I nearly overdosed last week.", "substance_crisis"),
        ("I drove home drunk twice this month.", "substance_crisis"),
    ],
)
def test_rule_building_examples_are_flagged(text: str, category: str) -> None:
    assert category in cats(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm killing it at work these days.",
        "This traffic is killing me.",
        "My feet are killing me after that hike.",
        "I'm dying to see that film.",
        "Shoot me an email when you're free.",
        "It hit me that I'd been wrong all along.",
        "We had a deadline on Friday and I was dead tired.",
        "Hit me up when you're in town.",
        "That cake was to die for.",
    ],
)
def test_idioms_are_not_flagged(text: str) -> None:
    assert cats(text) == set()


def test_negation_is_flagged_and_marked() -> None:
    u = Utterance("u1", "C", Role.CLIENT, 0.0, 2.0, "I would never hurt myself.")
    hits = scan_utterance(u)
    assert [(h.category, h.negated) for h in hits] == [("self_harm", "never")]
    t = session((T, "How are you keeping safe?"), (C, "I would never hurt myself."))
    findings, summary = risk_findings(t)
    assert findings[0].data["negated"] is True and findings[0].data["words"] == "hurt myself"
    assert summary["status"] != NOT_DISCUSSED


@pytest.mark.parametrize(
    "text", ["I'm not suicidal.", "No thoughts of suicide at all.", "I don't want to kill myself."]
)
def test_other_negations(text: str) -> None:
    u = Utterance("u1", "C", Role.CLIENT, 0.0, 2.0, text)
    assert all(h.negated for h in scan_utterance(u)) and scan_utterance(u)


def test_nothing_found_says_not_discussed_never_no_risk() -> None:
    t = session((T, "How was the week?"), (C, "Fine, mostly work and the garden."))
    findings, summary = risk_findings(t)
    assert findings == []
    assert summary["status"] == NOT_DISCUSSED
    assert all(c["status"] == NOT_DISCUSSED for c in summary["categories"].values())
    assert "no risk" not in str(summary).lower()


def test_exact_words_and_word_times() -> None:
    words = tuple(Word(w, 10.0 + i, 10.5 + i) for i, w in enumerate("I want to end it all".split()))
    u = Utterance("u1", "C", Role.CLIENT, 10.0, 16.0, "I want to end it all", words=words)
    f = risk_findings(Transcript((u,), ()))[0][0]
    assert f.data["words"] == "end it all"
    assert (f.evidence[0].start, f.evidence[0].end) == (13.0, 15.5)
    assert f.data["word_times"] == "exact"


def test_plan_words_count_only_near_ideation() -> None:
    alone = session((T, "Have you made a plan for the weekend?"), (C, "Yes, hiking."))
    assert find_risk(alone) == []
    near = session((C, "I have thought about suicide."), (T, "Have you made a plan?"), (C, "No."))
    assert [h.strength for h in find_risk(near)] == ["explicit", "context"]


def test_therapist_question_is_marked_with_reply() -> None:
    t = session((T, "Have you had thoughts of killing yourself?"), (C, "No, never."))
    f = risk_findings(t)[0][0]
    assert f.data["asked_by_therapist"] is True and f.data["reply_utterance"] == "u2"


def test_non_english_transcript_is_not_assessed_rather_than_not_discussed() -> None:
    t = session((T, "Comment allez-vous cette semaine ?"), (C, "Je suis fatigué, je ne dors plus."))
    findings, summary = risk_findings(t)
    assert findings == [] and summary["status"] == "not assessed"
    assert "English only" in summary["note"]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_any_text_never_crashes(text: str) -> None:
    findings, summary = risk_findings(session((C, text or " ")))
    assert summary["status"] in (NOT_DISCUSSED, NOT_ASSESSED, "mentioned — for review")


@pytest.mark.parametrize("text", ["", "ok", "Je ne veux plus vivre.", "死にたい", "word " * 20000])
def test_edge_inputs(text: str) -> None:
    risk_findings(session((C, text)))


def test_demo_passive_statement_and_safety_questions() -> None:
    t = demo_transcript()
    findings, summary = risk_findings(t)
    by_utt = {f.evidence[0].utterance_ids[0]: f for f in findings}
    assert by_utt["u96"].label == "suicidal_ideation" and by_utt["u96"].data["negated"] is False
    assert by_utt["u97"].data["asked_by_therapist"] and by_utt["u99"].data["asked_by_therapist"]
    assert summary["categories"]["suicidal_ideation"]["status"] != NOT_DISCUSSED
    assert summary["categories"]["harm_to_others"]["status"] == NOT_DISCUSSED
