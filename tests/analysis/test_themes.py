"""Themes within a session (lexicon + keyword groups) and the timeline across a client's sessions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessionlens.analysis.themes import (
    FIRST,
    RECURRING,
    keyword_themes,
    lexicon_themes,
    session_themes,
    theme_finding,
    themes_across_sessions,
)
from sessionlens.domain import Role

from .affect_helpers import C, T, demo_transcript, session

S1 = session(
    (T, "What brings you in?"),
    (C, "Work mostly. My boss piles it on."),
    (T, "Your boss."),
    (C, "And I can't sleep, I'm awake at three."),
    (C, "The job is all I think about, and I'm exhausted."),
)
S2 = session(
    (T, "How was the week?"),
    (C, "I slept a bit better."),
    (T, "Good."),
    (C, "But my mom called again and we argued."),
    (C, "My mother always does that."),
)
S3 = session(
    (T, "Where shall we start?"),
    (C, "My mom again. And work."),
    (C, "My manager quit."),
    (T, "Two big things."),
    (C, "My mother thinks I should quit too."),
)


def test_lexicon_themes_named_in_clinician_words() -> None:
    names = {th.name for th in lexicon_themes(S1)}
    assert {"work", "sleep"} <= names


def test_theme_finding_has_quotes_times_and_cue_words() -> None:
    f = theme_finding(next(th for th in lexicon_themes(S1) if th.name == "work"))
    assert f.kind == "theme" and f.data["by_client"] == 2
    assert all(e.start is not None and e.note.startswith('"') for e in f.evidence)
    assert "boss" in f.explanation


def test_timeline_first_appeared_and_recurring() -> None:
    rows = {r.theme: r for r in themes_across_sessions([("s1", S1), ("s2", S2), ("s3", S3)])}
    work = rows["work"]
    assert [e.marker for e in work.entries] == [FIRST, None, RECURRING] and work.recurring
    parent = rows["a parent"]
    assert parent.first_session == "s2" and [e.marker for e in parent.entries] == [None, FIRST, RECURRING]


def test_keyword_groups_for_words_outside_lexicons() -> None:
    t = session(
        (C, "The guitar with Tom was the best part."),
        (C, "Tom loved that guitar."),
        (T, "Tell me about Tom."),
        (C, "We played guitar every weekend."),
    )
    words = {w for th in keyword_themes(t) for w in th.keywords}
    assert {"tom", "guitar"} <= words


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([T, C]), st.text(max_size=200)), max_size=6))
def test_any_session_never_crashes(turns) -> None:
    session_themes(session(*turns))


@pytest.mark.parametrize("text", ["", "ok", "Mi trabajo es muy difícil.", "仕事", "work " * 20000])
def test_edge_inputs(text: str) -> None:
    session_themes(session((C, text)))


def test_demo_themes() -> None:
    names = [th.name for th in lexicon_themes(demo_transcript())]
    for expected in ("work", "sleep", "alcohol", "a parent", "grief and loss"):
        assert expected in names
    assert all(th.count(Role.CLIENT) > 0 for th in lexicon_themes(demo_transcript()))
