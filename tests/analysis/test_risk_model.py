"""The risk model tier: hash-checked weights, scores on the real encoder, and how its flags join the rules."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from sessionlens.analysis.encoder import base_model, encode
from sessionlens.analysis.risk import find_risk, risk_findings
from sessionlens.analysis.risk.model import MODEL_ID, load_model, score_texts
from sessionlens.artifacts import IntegrityError, ManifestDir, models_dir

from ._model_helpers import tampered_copy
from .affect_helpers import C, T, session

UNRULED = "My chest feels heavy and I have been thinking everyone would cope fine after I'm buried."


def test_weights_load_from_a_hash_checked_manifest() -> None:
    m = load_model()
    assert m.support.shape[1] == 384 and len(m.dual) == len(m.support)
    assert 0 < m.threshold < m.strict_threshold < 1
    assert len(m.exemplar_text) == len(m.exemplars) == len(m.exemplar_concept) > 100


def test_model_was_trained_on_the_shipped_encoder() -> None:
    # The SVM reads base MiniLM vectors; a changed encoder without retraining would move every score.
    manifest = ManifestDir.open(models_dir("risk"), "risk model").manifest
    assert manifest["encoder_sha256"] == base_model().meta["files"]["model.onnx"]


def test_tampered_weights_are_refused(tmp_path: Path) -> None:
    copy = tampered_copy(models_dir("risk"), tmp_path / "risk", "weights.npz", at=-10)
    with pytest.raises(IntegrityError, match="SHA-256"):
        ManifestDir.open(copy, "risk model").read("weights.npz")


def test_numpy_margin_matches_a_direct_kernel_sum() -> None:
    m = load_model()
    x = encode(["I want to kill myself tonight."])
    k = np.exp(-m.gamma * ((m.support - x[0]) ** 2).sum(1))
    assert m.margins(x)[0] == pytest.approx(float(k @ m.dual + m.intercept), abs=1e-4)


def test_scores_separate_risk_from_everyday_talk() -> None:
    texts = ["I want to kill myself tonight.", "We went to the beach and had chips."]
    risky, plain = score_texts(texts)
    assert risky.score > load_model().strict_threshold > load_model().threshold > plain.score
    assert risky.concept == "suicidal_ideation" and risky.nearest in load_model().exemplar_text


def test_weights_are_stored_as_float16_support_vectors() -> None:
    arrays = np.load(io.BytesIO(ManifestDir.open(models_dir("risk"), "risk model").read("weights.npz")))
    assert arrays["support"].dtype == np.float16 and arrays["exemplars"].dtype == np.float16


def test_model_hit_only_where_no_rule_fired() -> None:
    t = session((C, UNRULED), (C, "I have thought about suicide."))
    assert [h.utterance.id for h in find_risk(t)] == ["u2"]  # rules only unless the model is asked for
    hits = find_risk(t, model=True)
    assert [(h.utterance.id, h.strength) for h in hits] == [("u1", "model"), ("u2", "explicit")]
    assert hits[0].rules == (MODEL_ID,) and hits[0].negated is None and hits[0].model is not None


def test_therapist_turns_get_no_model_flag() -> None:
    hits = find_risk(session((T, UNRULED), (C, "I have thought about suicide.")), model=True)
    assert [h.utterance.id for h in hits] == ["u2"]


def test_model_finding_explains_score_and_nearest_concept() -> None:
    findings, _ = risk_findings(session((C, UNRULED), (C, "I have thought about suicide.")), model=True)
    f = findings[0]
    score = score_texts([UNRULED])[0]
    assert f.data["strength"] == "model" and f.data["rules"] == [MODEL_ID]
    assert f.confidence == pytest.approx(score.score, abs=1e-3)
    assert f.data["model_score"] == pytest.approx(score.score, abs=1e-3) and f.data["nearest_example"] == score.nearest
    assert "model_score" not in findings[1].data  # a rule's flag carries no model fields
    assert f"{score.score:.2f}" in f.explanation and score.nearest in f.explanation
    assert "not a diagnosis" in f.explanation and "negation was not checked" in f.explanation


def test_rules_only_by_default() -> None:
    findings, _ = risk_findings(session((C, UNRULED)))
    assert findings == []


def _risk_findings_of(settings: dict) -> list:
    from sessionlens.config import Settings
    from sessionlens.services.analysis import analyze_transcript

    from .affect_helpers import demo_transcript

    doc = analyze_transcript(demo_transcript(), Settings(settings, env={}))
    return [f for f in doc.findings if f.kind == "risk"]


def test_the_setting_switches_the_model_tier_on_the_demo() -> None:
    off = _risk_findings_of({"risk_model": False})
    assert _risk_findings_of({}) == _risk_findings_of({"risk_model": True})  # on by default
    on = _risk_findings_of({"risk_model": True})
    assert all(f.data["strength"] != "model" for f in off)
    added = [f for f in on if f.data["strength"] == "model"]
    assert [f for f in on if f.data["strength"] != "model"] == off  # the rules' flags are untouched
    # The fictional demo has no risk talk beyond what the rules find; v1 (threshold 0.14) added 28 flags to it.
    # v2 as combined adds 3 ordinary client turns (BENCHMARKS.md): a regression guard, not the goal of none.
    assert len(added) <= 3
    assert all(f.data["speaker_role"] == "client" and "needs review, not a diagnosis" in f.explanation
               for f in added)


def test_model_findings_fit_the_published_schema() -> None:
    import json

    jsonschema = pytest.importorskip("jsonschema")
    from sessionlens.config import Settings
    from sessionlens.reports.document import analysis_document
    from sessionlens.services.analysis import analyze_transcript

    from ..conftest import REPO

    t = session((C, UNRULED), (C, "I have thought about suicide."))
    doc = analysis_document(analyze_transcript(t, Settings({"risk_model": True}, env={})))
    assert any(f["data"].get("strength") == "model" for f in doc["findings"] if f["kind"] == "risk")
    jsonschema.validate(doc, json.loads((REPO / "docs" / "analysis.schema.json").read_text(encoding="utf-8")))
