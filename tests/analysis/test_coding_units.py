"""Pinned behaviour of the shipped coders on hand-written utterances (written for these tests)."""

from __future__ import annotations

import json

import pytest

from sessionlens.analysis.coding import code_transcript
from sessionlens.domain import Finding

from ._coding_helpers import transcript


def codes_of(*turns: tuple[str, str]) -> dict[str, dict]:
    return code_transcript(transcript(*turns)).codes


@pytest.mark.parametrize(
    ("text", "main", "sub"),
    [
        ("What brings you in to see me today?", "question", "open"),
        ("How do you feel about your drinking these days?", "question", "open"),
        ("Do you drink every day?", "question", "closed"),
        ("Are you smoking more than a pack a day?", "question", "closed"),
        ("It sounds like you're really worried about how your drinking is affecting your kids.",
         "reflection", None),
        ("You should cut down to no more than two drinks a day, and I recommend you see your doctor.",
         "therapist_input", "advice"),
    ],
)
def test_therapist_main_and_sub_codes(text: str, main: str, sub: str | None) -> None:
    codes = codes_of(("c", "I've been having a rough time lately with my drinking and my family."),
                     ("t", text), ("c", "Okay."))
    got = codes["u1"]
    assert got["therapist_behaviour"] == main, got
    if sub:
        assert sub in got["therapist_subcodes"], got
    assert 0.0 <= got["confidence"] <= 1.0


@pytest.mark.parametrize(
    ("text", "talk"),
    [
        ("I really want to quit smoking. I need to do it for my kids, and I'm going to start this week.",
         "change"),
        ("I don't think I have a problem. I enjoy a few beers with my friends and it helps me relax.", "sustain"),
    ],
)
def test_client_talk_type(text: str, talk: str) -> None:
    codes = codes_of(("t", "What are you thinking about your smoking and drinking?"), ("c", text))
    assert codes["u1"]["client_talk"] == talk, codes["u1"]


def test_roles_get_only_their_codes() -> None:
    coding = code_transcript(transcript(("t", "How are you today?"), ("c", "Fine, thanks."),
                                        ("o", "Sorry to interrupt, your next appointment is here.")))
    assert coding.codes["u0"]["client_talk"] is None and coding.codes["u0"]["therapist_behaviour"]
    assert coding.codes["u1"]["therapist_behaviour"] is None and coding.codes["u1"]["client_talk"]
    assert coding.codes["u1"]["therapist_subcodes"] == []
    assert "u2" not in coding.codes
    assert [f.kind for f in coding.findings] == ["therapist_behaviour", "client_talk"]


def test_findings_carry_evidence_source_and_explanation() -> None:
    coding = code_transcript(transcript(("t", "Tell me more about what happened at work?"),
                                        ("c", "My boss yelled at me again and I felt like quitting.")))
    for f in coding.findings:
        assert isinstance(f, Finding)
        assert f.evidence[0].utterance_ids in (("u0",), ("u1",))
        assert f.evidence[0].start is not None and f.evidence[0].end is not None
        assert f.source.startswith("annomi-linear")
        assert f.label in f.explanation and "p=" in f.explanation
        assert set(f.data["probabilities"]) and abs(sum(f.data["probabilities"].values()) - 1) < 1e-3
    json.dumps(coding.to_dict())  # plain serializable


def test_explanation_names_cue_words() -> None:
    f = code_transcript(transcript(("c", "I've been drinking a lot since the divorce."),
                                   ("t", "It sounds like you feel lonely since the divorce."))).findings[1]
    assert f.label == "reflection"
    assert "sounds" in f.explanation or "feel" in f.explanation


def test_autonomy_and_affirm_rules_fire_with_rule_explanation() -> None:
    codes = code_transcript(transcript(
        ("c", "I walked every day this week even though it was hard."),
        ("t", "That's great, you've worked really hard. What you do next is really up to you."),
    ))
    f = codes.findings[1]
    assert "affirm" in f.data["subcodes"] and "emphasize_autonomy" in f.data["subcodes"]
    assert "rule: cue" in f.explanation and "no training labels" in f.explanation


def test_advice_with_and_without_permission() -> None:
    asked = codes_of(("t", "Is it okay if I share some information about drinking limits?"), ("c", "Sure."),
                     ("t", "You should cut down to two drinks a day and I recommend you see your doctor."))
    assert "persuade_with_permission" in asked["u2"]["therapist_subcodes"], asked["u2"]
    unasked = codes_of(("c", "I had a few drinks last weekend with my brother, nothing unusual."),
                       ("t", "You should cut down to two drinks a day and I recommend you see your doctor."))
    assert "persuade_without_permission" in unasked["u1"]["therapist_subcodes"], unasked["u1"]


def test_confront_rule() -> None:
    codes = codes_of(("c", "I only drink on weekends."), ("t", "Come on, you're in denial about this."))
    assert "confront" in codes["u1"]["therapist_subcodes"]


def test_opening_recommendation_is_advice_by_rule_and_flagged_premature() -> None:
    from sessionlens.analysis.coding import premature_advice

    tr = transcript(("t", "What brings you in today?"),
                    ("c", "My doctor says I drink too much and my wife is worried, I drink most nights."),
                    ("t", "You should cut down to two drinks a night."))
    coding = code_transcript(tr)
    f = coding.findings[2]
    assert f.label == "therapist_input" and "advice" in f.data["subcodes"]
    assert "rule: recommendation 'you should'" in f.explanation
    flags = premature_advice(tr, coding)
    assert [x.evidence[0].utterance_ids for x in flags] == [("u2",)]
    assert flags[0].evidence[1].utterance_ids == ("u1",)


def test_have_to_inside_a_reflection_is_not_persuasion() -> None:
    codes = codes_of(("c", "After work I just have a few beers to relax."),
                     ("t", "It sounds like drinking is one of the few ways you have to unwind."))
    assert not [s for s in codes["u1"]["therapist_subcodes"] if s.startswith("persuade")]
