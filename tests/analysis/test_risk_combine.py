"""How model flags join the rules (combine.model_flags, a pure function)."""

from __future__ import annotations

import pytest

from sessionlens.analysis.risk.combine import model_flags

TH, STRICT = 0.4, 0.5


def flags(scores, ruled=None, therapist=None, reach=2):
    n = len(scores)
    return model_flags(scores, ruled or [False] * n, therapist or [False] * n, TH, STRICT, reach)


def test_a_lone_utterance_needs_the_strict_threshold() -> None:
    assert flags([0.45]) == []
    assert flags([0.55]) == [0]


def test_a_rule_flag_nearby_lets_the_recall_threshold_apply() -> None:
    scores = [None, 0.45, 0.1, 0.45, 0.1, 0.1, 0.45]
    ruled = [True, False, False, False, False, False, False]
    assert flags(scores, ruled) == [1]  # u3 is 3 away, u6 is 6 away
    assert flags(scores, ruled, reach=3) == [1, 3]


def test_never_where_a_rule_fired_or_the_therapist_spoke() -> None:
    assert flags([0.9, 0.9], ruled=[True, False]) == [1]
    assert flags([0.9, 0.9], therapist=[True, False]) == [1]


def test_below_the_recall_threshold_never_flags() -> None:
    assert flags([0.39, 0.39], ruled=[False, False]) == []
    assert flags([None, 0.39], ruled=[True, False]) == []


def test_unscored_utterances_are_skipped() -> None:
    assert flags([None, None]) == []


def test_lengths_must_agree() -> None:
    with pytest.raises(ValueError, match="one score"):
        model_flags([0.9], [False, False], [False], TH, STRICT)
