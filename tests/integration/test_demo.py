"""The bundled demo session, end to end: what `make demo` runs."""

from __future__ import annotations

import json

import jsonschema

from sessionlens.cli.analyze import demo_analysis
from sessionlens.cli.app import run
from sessionlens.domain import Role

from ..conftest import REPO


def test_demo_roles_guessed_from_behaviour():
    a = demo_analysis()
    roles = {s.name: s.role for s in a.transcript.speakers}
    assert roles == {"Helen Varga": Role.THERAPIST, "Daniel": Role.CLIENT}
    assert 14 * 60 <= a.metrics["duration_seconds"] <= 16 * 60


def test_demo_session_data_is_plausible():
    m = demo_analysis().metrics
    assert 0.3 < m["talk_time"]["therapist"]["share"] < 0.5
    assert m["silence_summary"]["count"] >= 4
    assert m["overlaps"]["interruptions"] >= 1


def test_demo_command_writes_reports(tmp_path, capsys):
    assert run(["demo", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "demo-report.html" in out
    doc = json.loads((tmp_path / "demo-analysis.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, json.loads((REPO / "docs" / "analysis.schema.json").read_text(encoding="utf-8")))
    html = (tmp_path / "demo-report.html").read_text(encoding="utf-8")
    assert "Helen Varga" in html and "<svg" in html


def test_demo_refuses_a_file_as_folder(tmp_path, capsys):
    f = tmp_path / "f"
    f.write_text("x")
    assert run(["demo", "--out", str(f)]) == 2


def test_demo_document_has_codes_emotions_and_measures():
    from sessionlens.reports.document import analysis_document

    doc = analysis_document(demo_analysis())
    jsonschema.validate(doc, json.loads((REPO / "docs" / "analysis.schema.json").read_text(encoding="utf-8")))
    m = doc["metrics"]
    assert m["interventions"]["utterances_coded"] > 0 and m["client_talk"]["utterances_coded"] > 0
    by_role = {u["role"]: u for u in doc["utterances"]}
    assert by_role["therapist"]["codes"]["therapist_behaviour"] is not None
    assert by_role["client"]["codes"]["client_talk"] in ("change", "neutral", "sustain")
    assert len(by_role["client"]["emotions"]) == 28
