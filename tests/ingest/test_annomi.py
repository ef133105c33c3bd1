"""Every AnnoMI dev transcript imports through the CSV path (skipped without ../shared/data).

Two quirks of the real data are pinned here on purpose (see the ingest report):
* six rows in five transcripts start one second *before* the previous row (a short backchannel
  overlapping at 1-second resolution). That is within one tick of the source clock, so it is
  accepted as data and listed in ``metadata["start_backsteps"]``; bigger steps back are errors.
* transcript 38 has the timestamp ``00:09:025``, read numerically as 9 min 25 s.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict

import pytest

from sessionlens.errors import InputError
from sessionlens.ingest.formats import detect_format, parse_transcript

from ..conftest import require_shared


@pytest.fixture(scope="module")
def annomi():
    path = require_shared("annomi", "AnnoMI-simple.dev.csv")
    data = path.read_bytes()
    with path.open(newline="", encoding="utf-8") as f:
        by_id: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in csv.DictReader(f):
            by_id[row["transcript_id"]].append(row)
    return path, data, dict(by_id)


def test_the_collection_asks_for_a_choice(annomi):
    path, data, by_id = annomi
    assert len(by_id) == 93 and detect_format(data, path.name) == "csv"
    with pytest.raises(InputError, match="holds 93 transcripts; choose one with --transcript-id"):
        parse_transcript(data, source=str(path))


def _split(rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def test_every_transcript_imports(annomi):
    """Split by transcript_id with the csv module; import each with autodetection and id selection."""
    _, _, by_id = annomi
    backsteps = {}
    for tid, expected in by_id.items():
        data = _split(expected)
        assert detect_format(data, f"{tid}.csv") == "csv"
        t = parse_transcript(data, source=f"annomi-{tid}.csv", transcript_id=tid)
        assert t.source_format == "csv" and t.metadata["transcript_id"] == tid
        assert len(t.utterances) == len(expected), tid
        assert [u.speaker for u in t.utterances] == [r["interlocutor"] for r in expected], tid
        assert {s.id for s in t.speakers} == {"therapist", "client"}, tid
        assert all(u.start is not None and u.end is not None and u.end >= u.start for u in t.utterances), tid
        assert t.duration and t.duration > 0
        if "start_backsteps" in t.metadata:
            backsteps[tid] = len(t.metadata["start_backsteps"])
    assert backsteps == {"56": 1, "71": 1, "84": 1, "97": 2, "100": 1}


@pytest.mark.parametrize("tid", ["1", "38", "97"])
def test_selection_from_the_whole_file_matches_the_split(annomi, tid):
    path, data, by_id = annomi
    whole = parse_transcript(data, source=str(path), transcript_id=tid)
    split = parse_transcript(_split(by_id[tid]), source="split.csv")
    assert [(u.speaker, u.start, u.end, u.text) for u in whole.utterances] == [
        (u.speaker, u.start, u.end, u.text) for u in split.utterances]


def test_source_lines_point_at_the_physical_row(annomi):
    path, data, _ = annomi
    lines = data.decode("utf-8").split("\n")
    t = parse_transcript(data, source=str(path), transcript_id="38")
    odd = next(u for u in t.utterances if u.start == 9 * 60 + 25 and "00:09:025" in lines[u.source_line - 1])
    assert odd.speaker == "therapist"
    for u in t.utterances[:20]:
        assert lines[u.source_line - 1].startswith("38,")
