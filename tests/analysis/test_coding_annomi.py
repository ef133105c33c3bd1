"""Smoke test on real AnnoMI transcripts from ../shared/data (skipped cleanly without it).

These transcripts are in the training data, so this only checks the pipeline end to end on real
input; the held-out numbers are in BENCHMARKS.md (benchmarks/bench_coding.py).
"""

from __future__ import annotations

import csv
from collections import defaultdict

from sessionlens.analysis.coding import code_transcript, mi_measures, premature_advice
from sessionlens.domain import Role, Speaker, Transcript, Utterance
from tests.conftest import require_shared

SPEAKERS = (Speaker("therapist", "Therapist", Role.THERAPIST), Speaker("client", "Client", Role.CLIENT))


def _sessions(limit: int) -> dict[str, list[dict[str, str]]]:
    path = require_shared("annomi", "AnnoMI-simple.dev.csv")
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if len(out) < limit or row["transcript_id"] in out:
                out[row["transcript_id"]].append(row)
    return out


def _transcript(rows: list[dict[str, str]]) -> Transcript:
    def secs(s: str) -> float:
        h, m, x = s.split(":")
        return int(h) * 3600 + int(m) * 60 + int(x)
    utts = tuple(Utterance(f"{r['transcript_id']}-{r['utterance_id']}", r["interlocutor"], Role(r["interlocutor"]),
                           secs(r["timestamp"]), None, r["utterance_text"]) for r in rows)
    return Transcript(utts, SPEAKERS)


def test_annomi_sessions_code_end_to_end() -> None:
    agree = total = 0
    for rows in _sessions(4).values():
        tr = _transcript(rows)
        coding = code_transcript(tr)
        measures = mi_measures(tr, coding)
        premature_advice(tr, coding)
        assert measures["interventions"]["utterances_coded"] + measures["client_talk"]["utterances_coded"] == len(rows)
        for r in rows:
            c = coding.codes[f"{r['transcript_id']}-{r['utterance_id']}"]
            gold = r["main_therapist_behaviour"] or r["client_talk_type"]
            agree += (c["therapist_behaviour"] or c["client_talk"]) == gold
            total += 1
    assert agree / total > 0.6  # seen in training: a floor against a broken pipeline, not a metric
