"""CSV: flexible headers, delimiters, BOM, quoted multi-line fields, collections of transcripts."""

from __future__ import annotations

import pytest

from sessionlens.domain import Timing
from sessionlens.errors import InputError, ParseError

from .helpers import fixture, parse, rows, slips, timings


def test_annomi_like_layout_and_physical_lines():
    t = parse(fixture("annomi_like.csv"), name="a.csv")
    assert t.source_format == "csv"
    assert rows(t) == [
        ("therapist", 2.0, 5.0, "Okay, so, what brings you in?"),
        ("client", 5.0, 12.0, "Well, it started last spring."),
        ("therapist", 12.0, 13.2, "Tell me more."),
    ]
    # the quoted field spans lines 3-4 and a blank line follows: the last row starts on line 6
    assert [u.source_line for u in t.utterances] == [2, 3, 6]
    assert t.timing is Timing.END_ESTIMATED


def test_semicolons_bom_and_seconds():
    t = parse(fixture("semicolon.csv"), name="s.csv")
    assert rows(t) == [("Therapist", 1.5, 3.25, "Hello, welcome."), ("Client", 3.5, 5.5, "Thanks; glad to be here.")]
    assert [u.timing for u in t.utterances] == [Timing.SOURCE, Timing.END_ESTIMATED]


def test_tab_delimited():
    t = parse(fixture("tabs.tsv"), name="s.tsv")
    assert rows(t) == [("T", 1.0, 2.0, "Hi."), ("C", 2.5, 4.0, "Hello there.")]


COLLECTION = "transcript_id,interlocutor,timestamp,utterance_text\n" + "".join(
    f"{tid},{who},00:00:0{k},line {k}\n" for tid in ("a1", "b2", "c3") for k, who in enumerate(["therapist", "client"]))


def test_collection_requires_a_choice():
    with pytest.raises(InputError, match=r"holds 3 transcripts; choose one with --transcript-id \(e.g. a1, b2, c3\)"):
        parse(COLLECTION, name="many.csv")


def test_collection_selects_one():
    t = parse(COLLECTION, name="many.csv", transcript_id="b2")
    assert rows(t) == [("therapist", 0.0, 1.0, "line 0"), ("client", 1.0, 1.8, "line 1")]
    assert [u.source_line for u in t.utterances] == [4, 5] and t.metadata["transcript_id"] == "b2"


def test_unknown_transcript_id():
    with pytest.raises(InputError, match="has no transcript 'zz'; it holds 3"):
        parse(COLLECTION, name="many.csv", transcript_id="zz")


def test_transcript_id_without_column():
    with pytest.raises(InputError, match="no transcript_id column"):
        parse(fixture("tabs.tsv"), name="s.tsv", transcript_id="1")


def test_no_text_column():
    with pytest.raises(ParseError, match="line 1: no recognisable header row"):
        parse("a,b,c\n1,2,3\n", fmt="csv")


def test_bad_time_cell_is_kept_and_named_by_physical_line():
    t = parse('speaker,start,text\nT,1,"multi\nline"\nC,soon,x\n', fmt="csv")
    assert [u.text for u in t.utterances] == ["multi line", "x"]
    assert timings(t) == ["end_estimated", "inconsistent"]
    assert slips(t) == [("line 4", "malformed timestamp (not a time value)")]


def test_negative_time_cell_is_kept_untimed():
    t = parse("speaker,start,text\nT,-3,x\nC,4,y\n", fmt="csv")
    assert slips(t) == [("line 2", "negative time")]
    assert timings(t) == ["inconsistent", "end_estimated"]


def test_end_before_start_is_kept_and_marked():
    t = parse("speaker,start,end,text\nT,1,2,a\nC,5,4,x\nT,6,7,b\n", fmt="csv")
    assert [u.text for u in t.utterances] == ["a", "x", "b"]
    assert timings(t) == ["source", "inconsistent", "source"]
    assert slips(t) == [("line 3", "ends at 00:00:04.000 before it starts at 00:00:05.000")]
    assert t.timing is Timing.SOURCE  # the rest of the session keeps its source times


def test_one_tick_step_back_at_whole_seconds_is_data():
    """AnnoMI-style: a backchannel logged one second before the previous row (1-s clock)."""
    t = parse("speaker,timestamp,text\nT,00:00:10,long turn\nC,00:00:12,mm-hmm\nT,00:00:11,and so\n", fmt="csv")
    assert [u.start for u in t.utterances] == [10.0, 12.0, 11.0]
    assert t.metadata["start_backsteps"] == [4]
    assert all(u.end >= u.start for u in t.utterances)


def test_bigger_step_back_or_finer_clock_is_a_slip():
    t = parse("speaker,timestamp,text\nT,00:00:10,a\nC,00:00:12,b\nT,00:00:10,c\n", fmt="csv")
    assert slips(t) == [("line 4", "timestamps go backwards: 00:00:10.000 after 00:00:12.000 (line 3)")]
    t = parse("speaker,start,text\nT,12.000,a\nC,11.000,b\n", fmt="csv")
    assert slips(t) == [("line 3", "timestamps go backwards: 00:00:11.000 after 00:00:12.000 (line 2)")]


def test_backsteps_do_not_accumulate():
    t = parse("speaker,timestamp,text\nT,00:00:12,a\nC,00:00:11,b\nT,00:00:10,c\n", fmt="csv")
    assert timings(t) == ["end_estimated", "end_estimated", "inconsistent"]
    assert slips(t) == [("line 4", "timestamps go backwards: 00:00:10.000 after 00:00:12.000 (line 2)")]
