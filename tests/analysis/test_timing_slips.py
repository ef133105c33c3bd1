"""Utterances with inconsistent times: kept, counted by words, left out of the exact-time measures,
and named by line in every report's caveats (terminal, Markdown, HTML, JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from sessionlens.analysis.timing_metrics import timing_caveats, timing_metrics
from sessionlens.cli.app import run
from sessionlens.config import Settings
from sessionlens.domain import Role, Speaker, Timing
from sessionlens.ingest.formats import parse_transcript

from ..conftest import REPO

SCHEMA = json.loads((REPO / "docs" / "analysis.schema.json").read_text(encoding="utf-8"))

# WebVTT with both ends: line 12 goes back 9 s (the AnnoMI report's slip), line 15 ends before it starts.
VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Therapist>What brings you in today?

00:00:09.000 --> 00:00:12.000
<v Client>I have not been sleeping, and work is a lot.

00:00:16.000 --> 00:00:18.000
<v Therapist>Sleep has been hard.

00:00:07.000 --> 00:00:09.500
<v Client>Yes, for months now really.

00:00:30.000 --> 00:00:22.000
<v Therapist>What happens at night?

00:00:26.000 --> 00:00:29.000
<v Client>I lie there and think about everything.
"""

CAVEAT = (
    "2 utterances have timestamps that do not fit the session's timeline. They are kept in order, placed "
    "between their neighbours, counted in talk time from their word counts at a typical speech rate, and "
    "left out of silences, response latencies, overlaps and speech rate: line 12 — timestamps go backwards: "
    "00:00:07.000 after 00:00:16.000 (line 9); line 15 — ends at 00:00:22.000 before it starts at "
    "00:00:30.000."
)


def _transcript():
    t = parse_transcript(VTT.encode(), source="s.vtt")
    speakers = (Speaker("Therapist", "Therapist", Role.THERAPIST), Speaker("Client", "Client", Role.CLIENT))
    return t.with_speakers(speakers)


def test_exact_caveat_names_each_line():
    t = _transcript()
    assert [u.timing for u in t.utterances] == [Timing.SOURCE, Timing.SOURCE, Timing.SOURCE,
                                                Timing.INCONSISTENT, Timing.INCONSISTENT, Timing.SOURCE]
    assert timing_caveats(t) == (CAVEAT,)


def test_one_slip_caveat_is_singular():
    t = parse_transcript(b"speaker,start,end,text\nT,1,2,a\nC,5,4,b\n", source="s.csv")
    assert timing_caveats(t) == (
        "1 utterance has timestamps that do not fit the session's timeline. They are kept in order, placed "
        "between their neighbours, counted in talk time from their word counts at a typical speech rate, and "
        "left out of silences, response latencies, overlaps and speech rate: line 3 — ends at 00:00:04.000 "
        "before it starts at 00:00:05.000.",)


def test_long_lists_are_cut_in_the_caveat_and_whole_in_the_metrics():
    rows = "".join(f"T,{100 - k}.000,{101 - k}.000,w{k}\n" for k in range(15))
    t = parse_transcript(("speaker,start,end,text\nT,0,1,x\n" + rows).encode(), source="s.csv")
    metrics, _, _ = timing_metrics(t, Settings())
    assert len(metrics["timing_slips"]) == 14
    (caveat,) = timing_caveats(t)
    assert caveat.count(" — ") == 10
    assert caveat.endswith("; and 4 more (metrics.timing_slips lists every one).")


def test_exact_time_measures_leave_inconsistent_utterances_out():
    t = _transcript()
    metrics, silences, _ = timing_metrics(t, Settings({"silence_threshold": 3.0}))
    # u1 ends 4, u2 starts 9: a real silence. u3 (16-18) → u4 is inconsistent → the gap to u6 (26) is unknown.
    assert [(s.before_utterance, s.after_utterance) for s in silences] == [("u1", "u2"), ("u2", "u3")]
    assert all("u4" not in o["utterance_ids"] and "u5" not in o["utterance_ids"]
               for o in metrics["overlaps"]["items"])
    # latencies: only u1→u2 and u2→u3 are changes of speaker with both sides' times known
    assert metrics["response_latency"]["client"]["count"] == 1
    assert metrics["response_latency"]["therapist"]["count"] == 1
    assert metrics["timing_slips"] == [
        {"utterance": "u4", "where": "line 12",
         "problem": "timestamps go backwards: 00:00:07.000 after 00:00:16.000 (line 9)"},
        {"utterance": "u5", "where": "line 15",
         "problem": "ends at 00:00:22.000 before it starts at 00:00:30.000"},
    ]


def test_talk_time_counts_inconsistent_utterances_by_words_and_speech_rate_does_not():
    t = _transcript()
    metrics, _, _ = timing_metrics(t, Settings())
    client = metrics["talk_time"]["client"]
    # u2 3 s + u4 (5 words at 150 wpm = 2 s) + u6 3 s
    assert client["seconds"] == pytest.approx(8.0)
    assert client["words"] == 10 + 5 + 7
    # speech rate from the utterances whose times fit: 17 words in 6 s
    assert client["words_per_minute"] == pytest.approx(170.0)
    assert metrics["utterances"] == 6


def test_no_time_fits_makes_the_exact_measures_unavailable():
    t = parse_transcript(b"speaker,start,end,text\nT,5,4,a b\nC,9,8,c d\n", source="s.csv")
    metrics, silences, _ = timing_metrics(t, Settings())
    assert silences == () and set(metrics["unavailable"]) == {"silences", "exchanges"}
    assert [v["words_per_minute"] for v in metrics["speakers"].values()] == [None, None]
    assert t.timing is Timing.INCONSISTENT and len(timing_caveats(t)) == 1


@pytest.fixture
def slipped_file(tmp_path: Path) -> Path:
    p = tmp_path / "session.vtt"
    p.write_text(VTT, encoding="utf-8")
    return p


def test_analyze_json_end_to_end(slipped_file, capsys):
    assert run(["analyze", str(slipped_file), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    jsonschema.validate(doc, SCHEMA)
    assert [u["timing"] for u in doc["utterances"]] == ["source"] * 3 + ["inconsistent"] * 2 + ["source"]
    assert len(doc["utterances"]) == 6 and doc["timing"] == "source"
    assert CAVEAT in doc["caveats"]
    assert [s["where"] for s in doc["metrics"]["timing_slips"]] == ["line 12", "line 15"]


def test_analyze_reports_say_so(slipped_file, tmp_path, capsys):
    assert run(["analyze", str(slipped_file)]) == 0
    terminal = " ".join(capsys.readouterr().out.split())
    assert "line 12 — timestamps go backwards" in terminal and "line 15 — ends at" in terminal
    assert run(["analyze", str(slipped_file), "--markdown"]) == 0
    assert f"> {CAVEAT}" in capsys.readouterr().out
    html = tmp_path / "r.html"
    assert run(["analyze", str(slipped_file), "--html", str(html)]) == 0
    page = html.read_text(encoding="utf-8")
    assert "line 12 — timestamps go backwards: 00:00:07.000 after 00:00:16.000 (line 9)" in page
