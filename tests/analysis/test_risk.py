"""Risk language: the hand-written examples the rules were built from, negation, idioms, robustness, demo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessionlens.analysis.risk import (
    MENTIONED,
    NOT_ASSESSED,
    NOT_DISCUSSED,
    find_risk,
    risk_findings,
    scan_text,
)
from sessionlens.analysis.risk.rules import load_rules
from sessionlens.analysis.textcues import norm
from sessionlens.analysis.risk.detect import scan_utterance
from sessionlens.domain import Role, Transcript, Utterance, Word

from .affect_helpers import C, T, demo_transcript, session


def cats(text: str) -> set[str]:
    return {c for c, _, _, _ in scan_text(text)}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # Rounds 1–4: the hand-written examples the rules were built from.
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
        # Round 5: concept-level patterns, built from the misses of sets 1–4 and two throw-away probes of
        # freshly worded sentences (development examples; none is from the held-out set 5).
        # means, preparations, places
        ("Last month I swallowed a whole packet of paracetamol.", "suicidal_ideation"),
        ("I was on the roof of the car park and I nearly jumped.", "suicidal_ideation"),
        ("I've written goodbye letters to everyone.", "suicidal_ideation"),
        ("I had the tablets in my hand and then my phone rang.", "suicidal_ideation"),
        ("there's a rope in the garage and I keep looking at it", "suicidal_ideation"),
        ("I drove to the cliffs and sat there for an hour", "suicidal_ideation"),
        ("honestly I've been sorting out who gets my things", "suicidal_ideation"),
        ("I've been googling painless ways to go", "suicidal_ideation"),
        ("sometimes i hold the knife and think about it", "suicidal_ideation"),
        # passive wishes, the absent self, hopelessness
        ("I'd welcome an accident, honestly.", "suicidal_ideation"),
        ("If something happened to me, I wouldn't mind.", "suicidal_ideation"),
        ("sometimes i think everyone would cope fine if i just wasn't in the picture", "suicidal_ideation"),
        ("i'd be doing them a favour by going", "suicidal_ideation"),
        ("part of me hopes the cancer comes back", "suicidal_ideation"),
        ("I just can't see myself getting through this year.", "suicidal_ideation"),
        ("there's no point carrying on like this", "suicidal_ideation"),
        ("um i i just feel like i'm not meant to be here you know", "suicidal_ideation"),
        ("my mate said he's going to top himself", "suicidal_ideation"),
        ("What stops you from acting on those thoughts?", "suicidal_ideation"),
        # self-harm by the injury, its course, its purpose
        ("I deliberately broke my finger in the door.", "self_harm"),
        ("I keep punching walls until my hands bleed.", "self_harm"),
        ("I pinch and bruise myself.", "self_harm"),
        ("I haven't cut in six months.", "self_harm"),
        ("i dig my nails into my palms until it bleeds", "self_harm"),
        ("the cuts are getting deeper", "self_harm"),
        ("i've been doing it again, on my legs", "self_harm"),
        # violence by its result, target or weapon
        ("If he shows up again I'll beat him to death.", "harm_to_others"),
        ("I got into a fight and broke a guy's jaw.", "harm_to_others"),
        ("I've started carrying a knife to use on him.", "harm_to_others"),
        ("I keep thinking about poisoning my husband's food.", "harm_to_others"),
        ("I kicked my dog hard enough that it yelped, I was so angry.", "harm_to_others"),
        ("I'd never lay a finger on my kids.", "harm_to_others"),
        ("I've got a list of people I want to hurt", "harm_to_others"),
        ("I've thought about setting fire to his car with him in it", "harm_to_others"),
        # control, money, children's fear, neglect
        ("My grandson takes my pension and won't give it back.", "abuse_neglect"),
        ("He reads all my messages and tells me who I can see.", "abuse_neglect"),
        ("The kids go quiet when their dad comes home.", "abuse_neglect"),
        ("The baby hasn't been fed properly for days", "abuse_neglect"),
        ("my partner says he'll kill me if I leave", "abuse_neglect"),
        ("I get hit if I don't do my chores", "abuse_neglect"),
        ("My uncle did things to me when I was little", "abuse_neglect"),
        # substances by place, route, amount and aftermath
        ("I've been drinking vodka before school.", "substance_crisis"),
        ("I've been injecting in my legs now.", "substance_crisis"),
        ("I keep passing out drunk.", "substance_crisis"),
        ("I woke up and couldn't remember getting home, again.", "substance_crisis"),
        ("I've been using way more than I used to.", "substance_crisis"),
        ("I haven't used in eighteen months.", "substance_crisis"),
        ("I've spent the rent on coke", "substance_crisis"),
        ("I woke up on the bathroom floor covered in sick", "substance_crisis"),
    ],
)
def test_development_examples_are_flagged(text: str, category: str) -> None:
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
        # Round 5: everyday talk
        # grief facts and other people's deaths
        "he died in February",
        "My dad is dead.",
        "my mum's death was very sudden",
        "my grandad passed away last spring and I still miss him",
        # idioms
        "I could murder a pizza",
        "I was dead chuffed with the result.",
        "The heating bill will kill us this winter.",
        "My phone's about to die.",
        "We beat them three nil.",
        "I'm literally dying here, it's so hot",
        "I wanted to disappear into the floor, it was so awkward",
        # everyday accidents, medicines, drinking, places
        "I cut my finger chopping onions.",
        "the cat scratched my arm",
        "I take my tablets every morning",
        "He's been drinking less since Christmas",
        "I had a bottle of wine with friends on Saturday",
        "we went to the bridge to watch the fireworks",
        "my brother and I used to beat each other up as kids, all in fun",
        "I've gone to the gym twice this week.",
    ],
)
def test_idioms_and_everyday_talk_are_not_flagged(text: str) -> None:
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
def test_any_text_gives_a_status_that_agrees_with_its_findings(text: str) -> None:
    findings, summary = risk_findings(session((C, text or " ")))
    if findings:
        assert summary["status"] == MENTIONED and summary["mentions"] == len(findings)
        known = {r.id for r in load_rules()}
        for f in findings:
            assert f.data["words"] in norm(text) and set(f.data["rules"]) <= known and f.data["rules"]
    else:
        assert summary["status"] in (NOT_DISCUSSED, NOT_ASSESSED) and summary["mentions"] == 0


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("", NOT_ASSESSED),  # nothing to read is not "not discussed"
        ("ok", NOT_DISCUSSED),
        ("Je ne veux plus vivre.", NOT_ASSESSED),  # French: the rules are English only
        ("死にたい", NOT_ASSESSED),
    ],
)
def test_edge_inputs(text: str, status: str) -> None:
    findings, summary = risk_findings(session((C, text)))
    assert findings == [] and summary["status"] == status


def test_huge_input_raises_no_flag() -> None:
    findings, summary = risk_findings(session((C, "word " * 20000)))
    assert findings == [] and summary["status"] != MENTIONED


def test_demo_passive_statement_and_safety_questions() -> None:
    t = demo_transcript()
    findings, summary = risk_findings(t)
    by_utt = {f.evidence[0].utterance_ids[0]: f for f in findings}
    assert by_utt["u96"].label == "suicidal_ideation" and by_utt["u96"].data["negated"] is False
    assert by_utt["u97"].data["asked_by_therapist"] and by_utt["u99"].data["asked_by_therapist"]
    assert summary["categories"]["suicidal_ideation"]["status"] != NOT_DISCUSSED
    assert summary["categories"]["harm_to_others"]["status"] == NOT_DISCUSSED


def test_threat_if_i_leave_is_not_taken_for_the_idiom() -> None:
    assert "abuse_neglect" in cats("He said he'll kill me if I leave him.")
    assert cats("My manager is going to kill me for missing that call.") == set()


def test_set_five_sentences_are_not_used_as_unit_tests() -> None:
    held_out = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "risk_heldout_5.jsonl"
    if not held_out.exists():
        pytest.skip("held-out set not present")
    texts = {json.loads(line)["text"] for line in held_out.read_text(encoding="utf-8").splitlines() if line}
    source = Path(__file__).read_text(encoding="utf-8")
    assert not [t for t in texts if f'"{t}"' in source]
