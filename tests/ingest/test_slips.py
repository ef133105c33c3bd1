"""Timestamp slips never refuse a transcript: every utterance kept, in order, the slipped ones marked.

Property tests take valid transcripts, write them in every format with timestamps, shuffle,
duplicate, invert, shift by hours, negate or garble the times, and read them back.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessionlens.analysis.timing_metrics import timing_caveats, timing_metrics
from sessionlens.config import Settings
from sessionlens.domain import Role, Timing, Transcript
from sessionlens.ingest.formats import render_transcript
from sessionlens.ingest.slips import MAX_GAP_SECONDS, Stamped, find_slips

from .helpers import parse, slips, timings, transcripts

TIMED_FORMATS = ("text", "vtt", "srt", "csv", "whisper_json", "docx")
PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _scan(*times: tuple[float | None, float | None], resolution: float = 0.001) -> dict[int, str]:
    rows = [Stamped(s, e, f"line {k}", resolution) for k, (s, e) in enumerate(times, start=1)]
    return find_slips(rows).slips


# --- the rules, one by one ------------------------------------------------------------------

def test_consistent_times_have_no_slips():
    assert _scan((0, 1), (1, 2), (1.5, 3), (10, 11)) == {}


def test_a_stamp_typed_too_late_is_the_one_marked():
    # one slip, many rows after it: the slipped row is marked, not every row after it
    assert _scan((10, None), (50, None), (12, None), (14, None), (16, None)) == {
        1: "out of order: 00:00:50.000 comes before 00:00:12.000 (line 3)"}


def test_a_stamp_typed_too_early_is_the_one_marked():
    assert _scan((10, None), (12, None), (3, None), (14, None)) == {
        2: "timestamps go backwards: 00:00:03.000 after 00:00:12.000 (line 2)"}


def test_one_tick_back_at_whole_seconds_is_data():
    scan = find_slips([Stamped(10, None, "line 2", 1.0), Stamped(12, None, "line 3", 1.0),
                       Stamped(11, None, "line 4", 1.0), Stamped(13, None, "line 5", 1.0)])
    assert scan.slips == {} and scan.backsteps == [2]


def test_equal_start_and_end_at_whole_seconds_is_not_a_duplicate():
    assert _scan((5, 6), (5, 6), resolution=1.0) == {}


def test_duplicate_to_the_millisecond():
    assert _scan((5, 6), (5, 6), (7, 8)) == {1: "duplicate timestamp: the same times as line 1 "
                                                 "(00:00:05.000 --> 00:00:06.000)"}


def test_ends_before_it_starts():
    assert _scan((5, 4)) == {0: "ends at 00:00:04.000 before it starts at 00:00:05.000"}


def test_lasting_hours():
    assert _scan((5, 6), (7, 7 + MAX_GAP_SECONDS + 1)) == {
        1: "lasts from 00:00:07.000 to 01:00:08.000, more than 1 h"}


def test_gap_of_hours_marks_the_smaller_part():
    assert _scan((0, 1), (2, 3), (3 * 3600, None)) == {
        2: "03:00:00.000 lies more than 1 h away from the rest of the session"}
    assert _scan((0, 1), (2 * 3600, None), (2 * 3600 + 5, None)) == {
        0: "00:00:00.000 lies more than 1 h away from the rest of the session"}


def test_negative_and_not_finite():
    assert _scan((-1, 2), (math.nan, None), (math.inf, None), (3, 4)) == {
        0: "time is negative or not a finite number", 1: "time is negative or not a finite number",
        2: "time is negative or not a finite number"}


def test_untimed_rows_are_not_slips():
    assert _scan((None, None), (4, 5), (None, None), (6, 7)) == {}


def test_every_row_slipped_is_still_a_transcript():
    t = parse("speaker,start,end,text\nT,5,4,a\nC,9,8,b\n", fmt="csv")
    assert timings(t) == ["inconsistent", "inconsistent"] and t.timing is Timing.INCONSISTENT
    assert all(u.start is not None and u.end >= u.start for u in t.utterances)


def test_inconsistent_utterance_lasts_its_word_estimate():
    """Talk time counts it at the speech rate whatever room its neighbours leave."""
    t = parse("speaker,start,end,text\nT,1,2,a\nC,50,51,one two three four five\nT,3,4,b\nC,5,6,c\n",
              fmt="csv")
    u = t.utterances[1]
    assert u.timing is Timing.INCONSISTENT and u.duration == pytest.approx(5 * 60 / 150)
    assert 2 <= u.start <= 3  # placed between its neighbours


@settings(max_examples=200, deadline=None)
@given(steps=st.lists(st.integers(0, 600_000), min_size=3, max_size=40), k=st.data(),
       value=st.integers(0, 40 * 3_600_000))
def test_one_slipped_stamp_marks_one_row_or_its_neighbour_too(steps, k, value):
    """A single wrong start never marks the rows after it: at most itself and one neighbour
    (when the two contradict only each other, which of them is wrong cannot be told)."""
    starts = [sum(steps[: j + 1]) / 1000 for j in range(len(steps))]
    i = k.draw(st.integers(0, len(starts) - 1))
    starts[i] = value / 1000
    marked = find_slips([Stamped(s, None, f"line {j}") for j, s in enumerate(starts)]).slips
    assert len(marked) <= 2 and all(abs(j - i) <= 1 for j in marked)


# --- properties over every format -----------------------------------------------------------

def _corrupt(draw, times: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out = list(times)
    n = len(out)
    for _ in range(draw(st.integers(1, 4))):
        i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        kind = draw(st.sampled_from(["shuffle", "duplicate", "invert", "hours", "negative", "swap"]))
        s, e = out[i]
        if kind == "shuffle":
            order = draw(st.permutations(range(n)))
            out = [out[k] for k in order]
        elif kind == "duplicate":
            out[j] = out[i]
        elif kind == "invert":
            out[i] = (e, s)
        elif kind == "hours":
            shift = draw(st.integers(1, 30)) * 3600 * draw(st.sampled_from([1, -1]))
            out[i] = (max(s + shift, 0.0), max(e + shift, 0.0))
        elif kind == "negative":
            out[i] = (-s - 1.0, e)
        else:
            out[i], out[j] = out[j], out[i]
    return out


@st.composite
def corrupted(draw) -> tuple[Transcript, Transcript]:
    """(valid transcript, the same with slipped times)."""
    t = draw(transcripts())
    times = _corrupt(draw, [(u.start, u.end) for u in t.utterances])
    bad = tuple(replace(u, start=s, end=e) for u, (s, e) in zip(t.utterances, times, strict=True))
    return t, replace(t, utterances=bad)


def _garble(data: bytes, fmt: str, k: int) -> bytes:
    """Make the k-th timestamp of a text-based source unreadable (digits out of range)."""
    if fmt in ("docx", "whisper_json"):
        return data
    pattern = r"-?\d+\.\d{3}" if fmt == "csv" else r"\d{2}:\d{2}:\d{2}[.,]\d{3}"
    hits = list(re.finditer(pattern, data.decode("utf-8")))
    if not hits:
        return data
    m = hits[k % len(hits)]
    text = data.decode("utf-8")
    return (text[: m.start()] + "99:99:99" + text[m.end():]).encode("utf-8")


def _check_kept(original: Transcript, back: Transcript) -> None:
    assert len(back.utterances) == len(original.utterances)
    assert [u.id for u in back.utterances] == [f"u{k}" for k in range(1, len(original.utterances) + 1)]
    assert [u.speaker for u in back.utterances] == [u.speaker for u in original.utterances]
    assert [" ".join(u.text.split()) for u in back.utterances] == [
        " ".join(u.text.split()) for u in original.utterances]
    lines = [u.source_line for u in back.utterances]
    assert lines == sorted(lines)  # source order
    for u in back.utterances:
        assert u.start is not None and u.end is not None and math.isfinite(u.start) and u.end >= u.start >= 0
    marked = [u.id for u in back.utterances if u.timing is Timing.INCONSISTENT]
    assert marked == [s["utterance"] for s in back.metadata.get("timing_slips", [])]


def _check_analysis(t: Transcript) -> None:
    roles = (Role.THERAPIST, Role.CLIENT)
    speakers = tuple(replace(s, role=roles[k % 2]) for k, s in enumerate(t.speakers))
    t = t.with_speakers(speakers)
    metrics, silences, _ = timing_metrics(t, Settings())
    unsure = {u.id for u in t.utterances if u.timing is Timing.INCONSISTENT}
    assert not unsure & ({s.before_utterance for s in silences} | {s.after_utterance for s in silences})
    assert not unsure & {i for o in metrics["overlaps"]["items"] for i in o["utterance_ids"]}
    assert metrics["utterances"] == len(t.utterances)
    assert [s["utterance"] for s in metrics["timing_slips"]] == sorted(unsure, key=lambda i: int(i[1:]))
    caveats = " ".join(timing_caveats(t))
    for s in metrics["timing_slips"][:10]:
        assert f"{s['where']} — {s['problem']}" in caveats


@pytest.mark.parametrize("fmt", TIMED_FORMATS)
@PROPS
@given(t=transcripts())
def test_valid_transcripts_have_no_slips(fmt, t):
    back = parse(render_transcript(t, fmt), name=f"v.{fmt}")
    _check_kept(t, back)
    assert slips(back) == []


@pytest.mark.parametrize("fmt", TIMED_FORMATS)
@PROPS
@given(pair=corrupted(), garble=st.none() | st.integers(0, 30))
def test_slipped_times_never_lose_an_utterance(fmt, pair, garble):
    original, bad = pair
    data = render_transcript(bad, fmt)
    if garble is not None:
        data = _garble(data, fmt, garble)
    back = parse(data, name=f"s.{fmt}")
    _check_kept(original, back)
    _check_analysis(back)
