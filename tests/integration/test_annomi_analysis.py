"""Every AnnoMI dev transcript imports through the CSV parser and yields talk time per role."""

from __future__ import annotations

import pytest

from sessionlens.ingest import parse_transcript
from sessionlens.ingest.multi_csv import split_csv
from sessionlens.services.analysis import analyze_transcript

from ..conftest import require_shared


def split_annomi() -> dict[str, bytes]:
    return split_csv(require_shared("annomi", "AnnoMI-simple.dev.csv").read_bytes())


def test_every_annomi_transcript_yields_talk_time():
    files = split_annomi()
    assert len(files) == 93
    for tid, data in files.items():
        # every analyzer runs; the coding encoder (tested on its own) would add ~60 s over 93 transcripts
        a = analyze_transcript(parse_transcript(data, source=f"annomi-{tid}"), {"coding_encoder": False})
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
