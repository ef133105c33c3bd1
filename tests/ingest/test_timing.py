"""ingest.timing.fill_times: the pure time-completion rules."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessionlens.domain import Timing
from sessionlens.ingest.timing import Span, Timed, fill_times, weakest

S, E, EE = Timing.SOURCE, Timing.ESTIMATED, Timing.END_ESTIMATED


def test_all_given_is_source():
    assert fill_times([Span(0, 1, 3), Span(2, 5, 3)]) == [Timed(0, 1, S), Timed(2, 5, S)]


def test_starts_only_end_at_next_start_last_from_words():
    out = fill_times([Span(0, None, 3), Span(4, None, 10)], 150)
    assert out == [Timed(0, 4, EE), Timed(4, 8.0, EE)]  # 10 words at 150 wpm = 4 s


def test_equal_or_earlier_next_start_falls_back_to_words():
    out = fill_times([Span(5, None, 5), Span(5, None, 5), Span(9, None, 1)], 150)
    assert out == [Timed(5, 7.0, EE), Timed(5, 9, EE), Timed(9, 9.4, EE)]


def test_no_times_cumulative_estimate():
    out = fill_times([Span(None, None, 5), Span(None, None, 10), Span(None, None, 0)], 300)
    assert out == [Timed(0.0, 1.0, E), Timed(1.0, 3.0, E), Timed(3.0, 3.2, E)]  # empty counts as one word


def test_gap_spread_between_neighbours_by_word_count():
    out = fill_times([Span(0, 2, 5), Span(None, None, 1), Span(None, None, 3), Span(10, 11, 2)], 150)
    assert out[1:3] == [Timed(2.0, 4.0, E), Timed(4.0, 10.0, E)]
    assert out[0].timing is S and out[3].timing is S


def test_leading_and_trailing_gaps():
    out = fill_times([Span(None, None, 5), Span(10, None, 5), Span(None, None, 5)], 150)
    assert out == [Timed(8.0, 10.0, E), Timed(10, 12.0, EE), Timed(12.0, 14.0, E)]


def test_leading_gap_never_negative():
    out = fill_times([Span(None, None, 50), Span(1, 2, 1)], 150)
    assert out[0] == Timed(0.0, 1.0, E)


def test_weakest():
    assert weakest([S, EE, S]) is EE and weakest([S, E, EE]) is E and weakest([]) is Timing.NONE


def test_rate_must_be_positive():
    with pytest.raises(ValueError):
        fill_times([Span(None, None, 1)], 0)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.none() | st.integers(0, 10_000), st.integers(0, 30)), min_size=1, max_size=30))
def test_properties(specs):
    starts = sorted(s for s, _ in specs if s is not None)
    it = iter(starts)
    spans = [Span(None if s is None else float(next(it)), None, w) for s, w in specs]
    out = fill_times(spans, 150)
    assert len(out) == len(spans)
    for span, t in zip(spans, out, strict=True):
        assert 0 <= t.start <= t.end
        if span.start is not None:
            assert t.start == span.start and t.timing is EE
        else:
            assert t.timing is E
    assert all(a.start <= b.start for a, b in zip(out, out[1:]))
