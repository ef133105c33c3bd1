"""Relational detectors: the hand-written examples the rules were built from, robustness, and the demo session."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessionlens.analysis.relational import relational_moments, tense_focus
from sessionlens.analysis.relational.cues import confrontation, is_suggestion, yes_but
from sessionlens.analysis.relational.here_and_now import here_and_now_cues
from sessionlens.analysis.relational.repair import repair_findings
from sessionlens.analysis.relational.rupture import rupture_episodes
from sessionlens.analysis.relational.self_disclosure import self_disclosure_findings
from sessionlens.analysis.relational.topics import client_topic_findings
from sessionlens.analysis.relational.yes_but import yes_but_chains
from sessionlens.analysis.silence import find_silences
from sessionlens.domain import Role, Utterance

from .affect_helpers import C, T, demo_transcript, session


def kinds(findings, kind):
    return [f for f in findings if f.kind == kind]


@pytest.mark.parametrize(
    "text",
    [
        "Yeah, but it's the only thing that helps.",
        "Yes, but then nothing gets done.",
        "I know, but I've tried that.",
        "In theory. But it's faster to do it myself.",
        "That would be nice, but I don't have time.",
    ],
)
def test_yes_but_replies(text: str) -> None:
    assert yes_but(text)


@pytest.mark.parametrize("text", ["Yeah, that sounds right.", "But I don't want to.", "Yes. I'll try it."])
def test_not_yes_but(text: str) -> None:
    assert not yes_but(text)


@pytest.mark.parametrize(
    "text",
    [
        "You should cut it out during the week.",
        "What about a walk after dinner?",
        "Or stopping work earlier?",
        "Have you tried writing it down?",
        "Maybe you could ask your sister.",
    ],
)
def test_suggestions(text: str) -> None:
    assert is_suggestion(text)


def test_yes_but_chain_needs_two_pairs() -> None:
    one = session((T, "You could try going to bed earlier."), (C, "Yeah, but I can't sleep anyway."))
    assert yes_but_chains(one) == []
    two = session(
        (T, "You could try going to bed earlier."),
        (C, "Yeah, but I can't sleep anyway."),
        (T, "Mm-hm."),
        (T, "What about a bath before bed?"),
        (C, "I guess, but we only have a shower."),
    )
    chains = yes_but_chains(two)
    assert len(chains) == 1 and [p.reply.id for p in chains[0]] == ["u2", "u5"]


def test_confrontation_then_withdrawal_then_repair() -> None:
    t = session(
        (T, "I think you need to stop calling her."),
        (C, "Honestly this isn't helping. I feel like I'm being judged."),
        (T, "You're right, I jumped in there. Thanks for telling me."),
        (C, "Whatever."),
        (T, "It sounds like it's not quite fine. What was that like for you?"),
        (C, "Kind of annoying. But okay."),
    )
    episodes = rupture_episodes(t)
    assert [m.kind for m in episodes[0].markers] == ["confrontation", "withdrawal"]
    repairs = repair_findings(t, episodes)
    assert repairs and set(repairs[0].data["kinds"]) >= {"acknowledging", "exploring the rupture"}
    assert repairs[0].evidence[0].utterance_ids[-1] == "u6"  # the client's answer is kept as evidence


def test_run_of_minimal_answers_is_withdrawal() -> None:
    t = session(
        (T, "How did the conversation with your father go this week?"),
        (C, "Okay."),
        (T, "What did he say when you told him about the new job?"),
        (C, "Not really."),
        (T, "What was that like for you, hearing that from him?"),
        (C, "I don't know."),
    )
    assert [m.kind for ep in rupture_episodes(t) for m in ep.markers] == ["withdrawal"]


def test_long_silence_left_by_client_is_a_withdrawal_marker() -> None:
    from .affect_helpers import with_pauses

    t = with_pauses(
        session((T, "What do you make of that?"), (T, "We can come back to it."), (C, "Sure.")), {"u1": 15.0}
    )
    eps = rupture_episodes(t, find_silences(t, 3.0), long_silence=9.0)
    assert eps and "silence" in eps[0].markers[0].cue


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("What's it like, talking about this with me right now?", "the present moment and the relationship"),
        ("I noticed you went quiet when I said that.", "the relationship"),
        ("I didn't expect to, after I snapped at you earlier.", "the relationship"),
    ],
)
def test_here_and_now(text: str, label: str) -> None:
    assert " and ".join(here_and_now_cues(Utterance("u1", "x", Role.THERAPIST, 0, 1, text))) == label


def test_busy_right_now_is_not_here_and_now() -> None:
    assert here_and_now_cues(Utterance("u1", "x", Role.CLIENT, 0, 1, "Work is crazy right now.")) == {}


def test_self_disclosure() -> None:
    t = session(
        (T, "When I was your age I lost my father too."), (C, "Really?"), (T, "Tell me about your week.")
    )
    f = self_disclosure_findings(t)
    assert [x.evidence[0].utterance_ids for x in f] == [("u1",)] and f[0].label == "personal information"


def test_client_initiated_topic() -> None:
    t = session(
        (T, "How was the week?"),
        (C, "Honestly I've been drinking a lot of wine."),
        (T, "Tell me more."),
        (C, "A bottle most nights, more wine at weekends."),
        (T, "Okay."),
        (C, "And the drinking worries me."),
    )
    labels = [f.label for f in client_topic_findings(t)]
    assert "alcohol" in labels


def test_tense_focus() -> None:
    t = session((C, "Yesterday I went home and I was tired."), (C, "Tomorrow I will call her and I'll go."))
    share = tense_focus(t)["client"]["share"]
    assert share["past"] > 0.3 and share["future"] > 0.3


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([T, C]), st.text(max_size=200)), max_size=8))
def test_any_session_never_crashes(turns) -> None:
    relational_moments(session(*turns))


@pytest.mark.parametrize(
    "text", ["", "ok", "Ich weiß nicht, ob das hilft, ja aber.", "我不知道", "yes but " * 5000]
)
def test_edge_inputs(text: str) -> None:
    relational_moments(session((T, "You should try it."), (C, text)))


def test_demo_session_moments() -> None:
    t = demo_transcript()
    findings, metrics = relational_moments(t, find_silences(t, 3.0))
    chain = kinds(findings, "yes_but_chain")
    assert chain and chain[0].evidence[0].utterance_ids == tuple(f"u{i}" for i in range(54, 60))
    rupture = kinds(findings, "rupture")
    assert (
        rupture and rupture[0].evidence[0].utterance_ids == ("u61",) and "confrontation" in rupture[0].label
    )
    repair = kinds(findings, "repair")
    assert repair and repair[0].evidence[0].utterance_ids == tuple(f"u{i}" for i in range(62, 68))
    hn = {f.evidence[0].utterance_ids[0] for f in kinds(findings, "here_and_now")}
    assert "u107" in hn
    assert metrics["tense_focus"]["client"]["share"]["past"] is not None
    assert confrontation(t.utterances[60].text)
