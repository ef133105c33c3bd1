"""Themes by meaning across sessions (real MiniLM vectors; sessions written for this test)."""

from __future__ import annotations

from sessionlens.analysis.theme_clusters import meaning_themes
from sessionlens.analysis.themes import FIRST, RECURRING
from sessionlens.domain import Role, Speaker, Transcript, Utterance

SPEAKERS = (Speaker("T", "T", Role.THERAPIST), Speaker("C", "C", Role.CLIENT))


def session(tag: str, client_lines: list[str]) -> Transcript:
    utts = []
    for k, line in enumerate(client_lines):
        utts.append(Utterance(f"{tag}-t{k}", "T", Role.THERAPIST, 20.0 * k, 20.0 * k + 4, "Tell me more about that."))
        utts.append(Utterance(f"{tag}-c{k}", "C", Role.CLIENT, 20.0 * k + 5, 20.0 * k + 15, line))
    return Transcript(tuple(utts), SPEAKERS)


S1 = session("s1", [
    "I lie awake until three in the morning and my mind keeps racing.",
    "My manager moved the deadline again and the whole team is panicking.",
    "I bought a new bike and rode it along the river on Sunday.",
])
S2 = session("s2", [
    "Sleep has been terrible, I wake up at night and cannot drift off again.",
    "The garden is finally full of tomatoes this summer.",
])
S3 = session("s3", [
    "Another night of staring at the ceiling, I barely slept at all.",
    "My brother called about his wedding plans for next spring.",
])


def test_the_same_concern_in_different_words_is_one_recurring_theme():
    themes = meaning_themes([("s1", S1), ("s2", S2), ("s3", S3)])
    sleep = [t for t in themes if {"s1-c0", "s2-c0", "s3-c0"} <= {m.utterance_id for e in t.entries
                                                                   for m in e.evidence}]
    assert len(sleep) == 1, [t.theme for t in themes]
    theme = sleep[0]
    assert theme.theme.startswith("about: ") and theme.recurring and theme.sessions_with_theme == 3
    assert [e.marker for e in theme.entries] == [FIRST, RECURRING, RECURRING]
    ids = {m.utterance_id for e in theme.entries for m in e.evidence}
    assert not ids & {"s1-c1", "s1-c2", "s2-c1", "s3-c1"}  # work, bike, garden, wedding stay out


def test_one_off_topics_and_therapist_turns_are_not_themes():
    themes = meaning_themes([("s1", S1), ("s2", S2), ("s3", S3)])
    ids = {m.utterance_id for t in themes for e in t.entries for m in e.evidence}
    assert not any("-t" in i for i in ids)
    assert all(t.sessions_with_theme >= 2 for t in themes)


def test_too_little_text_gives_no_themes():
    assert meaning_themes([("s1", session("s1", ["ok", "yes"]))]) == []
