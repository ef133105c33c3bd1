"""Timing metrics against values computed by hand for tests/analysis/fixtures.hand_session."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sessionlens.analysis.exchanges import find_overlaps, response_latency
from sessionlens.analysis.silence import find_silences
from sessionlens.analysis.talk_time import talk_by_role, talk_by_speaker
from sessionlens.analysis.turns import derive_turns
from sessionlens.analysis.windows import talk_share_windows
from sessionlens.domain import Role, Timing

from .fixtures import hand_session


@pytest.fixture
def session():
    from sessionlens.speech.roles import assign_roles

    t, _ = assign_roles(hand_session(), therapist=["A"])
    return t


def test_turns_group_consecutive_utterances(session):
    turns = derive_turns(session)
    assert [t.utterance_ids for t in turns] == [("u1",), ("u2", "u3"), ("u4",), ("u5",), ("u6", "u7")]
    assert turns[1].start == 4.5 and turns[1].end == 12.0 and turns[1].words == 8


def test_talk_time_by_role(session):
    stats = talk_by_role(session, derive_turns(session))
    th, cl = stats["therapist"], stats["client"]
    assert th.seconds == pytest.approx(11.5) and cl.seconds == pytest.approx(12.8)
    assert th.share == pytest.approx(11.5 / 24.3, abs=1e-4)
    assert th.share + cl.share == pytest.approx(1.0, abs=1e-3)
    assert (th.words, cl.words) == (16, 12)
    assert (th.utterances, cl.utterances, th.turns, cl.turns) == (4, 3, 3, 2)
    assert th.words_per_minute == pytest.approx(83.5)
    assert th.longest_turn_seconds == pytest.approx(11.0) and th.longest_turn_utterance_ids == ("u6", "u7")
    assert th.median_turn_seconds == pytest.approx(4.0)
    assert cl.mean_turn_seconds == pytest.approx((7.5 + 5.5) / 2)


def test_talk_time_by_speaker_matches_roles_for_two_speakers(session):
    turns = derive_turns(session)
    assert talk_by_speaker(session, turns)["A"] == talk_by_role(session, turns)["therapist"]


def test_silences_with_who_broke_them(session):
    silences = find_silences(session, 3.0)
    assert [(s.start, s.end, s.duration) for s in silences] == [(12.0, 16.0, 4.0), (25.0, 30.0, 5.0)]
    assert [(s.before_utterance, s.after_utterance) for s in silences] == [("u3", "u4"), ("u5", "u7")]
    assert all(s.after_role is Role.THERAPIST and not s.within_turn for s in silences)
    assert find_silences(session, 4.5)[0].duration == 5.0


def test_overlaps_interruption_and_backchannel(session):
    overlaps = find_overlaps(session, 0.5)
    assert [(o.kind, o.speaker, o.seconds, o.utterance_ids) for o in overlaps] == [
        ("interruption", "B", 0.5, ("u4", "u5")),
        ("backchannel", "A", 3.0, ("u5", "u6")),
    ]
    assert find_overlaps(session, 0.6)[0].kind == "overlap"


def test_response_latency_per_responder(session):
    lat = response_latency(session, derive_turns(session))
    assert lat["client"].count == 2 and lat["client"].median == pytest.approx(0.25)
    assert lat["therapist"].count == 2 and lat["therapist"].median == pytest.approx(2.0)


def test_talk_share_windows(session):
    windows = talk_share_windows(session, 10.0)
    assert [w.start for w in windows] == [0, 10, 20, 30]
    assert windows[0].seconds == {"client": 5.5, "therapist": 4.0}
    assert windows[1].seconds == pytest.approx({"client": 2.3, "therapist": 4.0})
    assert windows[2].seconds == {"client": 5.0, "therapist": 0.5}
    assert windows[3].seconds == {"therapist": 3.0} and windows[3].end == 33.0
    assert windows[1].share["therapist"] == pytest.approx(4 / 6.3, abs=1e-4)


def test_estimated_times_hide_what_they_cannot_support(session):
    est = replace(session, timing=Timing.END_ESTIMATED)
    assert find_silences(est, 3.0) == ()
    assert find_overlaps(est, 0.5) == ()
    assert response_latency(est, derive_turns(est)) == {}
    none = replace(session, timing=Timing.ESTIMATED)
    assert talk_by_role(none, derive_turns(none))["therapist"].words_per_minute is None


def test_windows_empty_without_times(session):
    blank = replace(session, utterances=tuple(replace(u, start=None, end=None) for u in session.utterances))
    assert talk_share_windows(blank, 300) == ()
