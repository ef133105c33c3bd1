"""Every AnnoMI dev transcript imports through the CSV parser and yields talk time per role."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

import pytest

from sessionlens.ingest import parse_transcript
from sessionlens.services.analysis import analyze_transcript

from ..conftest import require_shared


def split_annomi() -> dict[str, bytes]:
    path = require_shared("annomi", "AnnoMI-simple.dev.csv")
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        groups: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in reader:
            groups[row["transcript_id"]].append(row)
        fields = reader.fieldnames or []
    out = {}
    for tid, rows in groups.items():
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
        out[tid] = buf.getvalue().encode("utf-8")
    return out


def test_every_annomi_transcript_yields_talk_time():
    files = split_annomi()
    assert len(files) == 93
    for tid, data in files.items():
        a = analyze_transcript(parse_transcript(data, source=f"annomi-{tid}"))
        talk = a.metrics["talk_time"]
        assert talk["therapist"]["seconds"] > 0 and talk["client"]["seconds"] > 0, tid
        assert talk["therapist"]["share"] + talk["client"]["share"] == pytest.approx(1.0, abs=1e-3), tid
        roles = {s.id.lower(): s.role.value for s in a.transcript.speakers}
        assert roles == {"therapist": "therapist", "client": "client"}, tid


def test_multi_transcript_csv_asks_for_an_id(capsys):
    from sessionlens.cli.app import run

    path = require_shared("annomi", "AnnoMI-simple.dev.csv")
    assert run(["analyze", str(path)]) == 2
    assert "--transcript-id" in capsys.readouterr().err
    assert run(["analyze", str(path), "--transcript-id", "1", "--json"]) == 0
