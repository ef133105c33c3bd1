"""Silence context: what each long silence followed and who broke it, in descriptive words."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sessionlens.analysis.silence import find_silences
from sessionlens.analysis.silence_context import describe_silences, sentence, silence_finding

from .affect_helpers import C, T, demo_transcript, session, with_pauses


def contexts(t, intensity=None):
    return [
        (c.silence.before_utterance, c.context, c.broken_by)
        for c in describe_silences(t, find_silences(t, 3.0), intensity)
    ]


def test_after_question_reflection_disclosure_and_confrontation() -> None:
    t = with_pauses(
        session(
            (T, "What was that like?"),
            (C, "Hard."),
            (T, "It sounds like you carried it alone."),
            (C, "My dad died when I was nine and nobody talked about it."),
            (T, "That's a lot."),
            (C, "I feel like I'm being judged right now."),
            (T, "Say more."),
        ),
        {"u1": 5, "u3": 6, "u4": 8, "u6": 7},
    )
    assert contexts(t) == [
        ("u1", "question", "client"),
        ("u3", "reflection", "client"),
        ("u4", "emotional disclosure", "therapist"),
        ("u6", "disagreement", "therapist"),
    ]


def test_model_intensity_marks_emotional_disclosure() -> None:
    t = with_pauses(session((C, "It was the worst week of my life."), (T, "Mm.")), {"u1": 5})
    assert contexts(t, {"u1": 0.8})[0][1] == "emotional disclosure"
    assert contexts(t, {"u1": 0.1})[0][1] == "client statement"


def test_words_are_descriptive_not_verdicts() -> None:
    t = with_pauses(session((T, "What do you make of that?"), (C, "I don't know.")), {"u1": 4})
    c = describe_silences(t, find_silences(t, 3.0))[0]
    text = sentence(c) + silence_finding(c, t).explanation
    assert "client broke it" in text and "may" in text
    for verdict in ("good", "bad", "should", "poor", "excellent"):
        assert verdict not in text.lower().split()


def test_pause_within_turn() -> None:
    t = with_pauses(session((C, "I went home."), (C, "And then I sat there.")), {"u1": 4})
    assert contexts(t)[0][1] == "pause within turn"


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([T, C]), st.text(max_size=100)), max_size=6), st.floats(0, 30))
def test_any_session_never_crashes(turns, pause) -> None:
    t = session(*turns, gap=pause)
    for c in describe_silences(t, find_silences(t, 3.0)):
        silence_finding(c, t)


def test_demo_silences() -> None:
    t = demo_transcript()
    got = {b: (ctx, who) for b, ctx, who in contexts(t)}
    assert got["u61"] == ("disagreement", "therapist")
    assert got["u71"][0] == "reflection" and got["u71"][1] == "client"
    assert got["u86"][0] == "emotional disclosure"
    assert got["u107"] == ("question", "client")
    assert "u93" in got
