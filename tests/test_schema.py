"""docs/analysis.schema.json is generated from the payload types, and real analyses match those types."""

from __future__ import annotations

import json

import jsonschema
import pytest
from pydantic import TypeAdapter

from sessionlens import schema
from sessionlens.cli.analyze import demo_analysis
from sessionlens.payloads.findings import FINDING_DATA
from sessionlens.reports.document import analysis_document

from .conftest import REPO


@pytest.fixture(scope="module")
def demo_doc():
    return analysis_document(demo_analysis())


@pytest.fixture(scope="module")
def generated():
    return schema.generate()  # a few seconds: generated once for the module


def test_committed_schema_is_the_generated_one(generated):
    committed = (REPO / "docs" / "analysis.schema.json").read_text(encoding="utf-8")
    assert committed == schema.render(generated), "run: python -m sessionlens.schema"


def test_check_flag_reports_a_stale_schema(tmp_path, monkeypatch, capsys, generated):
    stale = tmp_path / "analysis.schema.json"
    stale.write_text("{}\n", encoding="utf-8")
    monkeypatch.setattr(schema, "SCHEMA_PATH", stale)
    monkeypatch.setattr(schema, "generate", lambda: generated)
    assert schema.main(["--check"]) == 1
    assert schema.main([]) == 0 and schema.main(["--check"]) == 0
    assert schema.main(["--bogus"]) == 2
    assert "usage" in capsys.readouterr().err


def test_schema_is_valid_draft_2020_12_and_accepts_the_demo(demo_doc, generated):
    s = generated
    jsonschema.Draft202012Validator.check_schema(s)
    jsonschema.validate(demo_doc, s)


def test_typed_finding_payloads_match_their_types_exactly(demo_doc):
    typed = [f for f in demo_doc["findings"] if f["kind"] in FINDING_DATA]
    assert len({f["kind"] for f in typed}) >= 14  # the demo exercises nearly every typed kind
    for f in typed:
        td = FINDING_DATA[f["kind"]]
        keys = set(f["data"])
        assert td.__required_keys__ <= keys, (f["kind"], td.__required_keys__ - keys)
        assert keys <= td.__required_keys__ | td.__optional_keys__, (f["kind"], keys - set(td.__annotations__))
        TypeAdapter(td).validate_python(f["data"], strict=True)


def test_a_wrong_payload_for_a_typed_kind_is_rejected(demo_doc, generated):
    s = generated
    doc = json.loads(json.dumps(demo_doc))
    risk = next(f for f in doc["findings"] if f["kind"] == "risk")
    risk["data"]["negated"] = "no"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, s)
    del risk["data"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, s)


def test_an_untyped_kind_is_allowed_but_cannot_pose_as_a_typed_one(demo_doc, generated):
    s = generated
    doc = json.loads(json.dumps(demo_doc))
    extra = {**doc["findings"][0], "kind": "not_typed_yet", "data": {"anything": [1, 2]}}
    doc["findings"].append(extra)
    jsonschema.validate(doc, s)
    extra["kind"] = "interruption"  # a typed kind must carry its own payload
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, s)


def test_metrics_contract_is_in_the_schema(generated):
    s = generated
    metrics = s["$defs"]["Metrics"]
    assert {"talk_time", "speakers", "turns", "utterances", "silence_summary", "session_map"} <= set(
        metrics["required"])
    talk = s["$defs"]["TalkStats"]
    assert {"seconds", "share"} <= set(talk["required"])
    assert {"utterances", "speakers", "metrics", "silences", "findings"} <= set(s["required"])
