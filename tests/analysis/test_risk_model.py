"""The risk model tier: hash-checked weights, scores on the real encoder, hits only where no rule fired."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sessionlens.analysis.risk import find_risk, risk_findings
from sessionlens.analysis.risk.model import MODEL_ID, load_model, score_texts
from sessionlens.artifacts import IntegrityError, ManifestDir, models_dir

from ._model_helpers import tampered_copy
from .affect_helpers import C, session

UNRULED = "My chest feels heavy and I have been thinking everyone would cope fine after I'm buried."


def test_weights_load_from_a_hash_checked_manifest() -> None:
    m = load_model()
    assert m.classes[0] == "none" and m.coef.shape == (6, 384) and 0 < m.threshold < 1


def test_tampered_weights_are_refused(tmp_path: Path) -> None:
    copy = tampered_copy(models_dir("risk"), tmp_path / "risk", "weights.npz", at=-10)
    with pytest.raises(IntegrityError, match="SHA-256"):
        ManifestDir.open(copy, "risk model").read("weights.npz")


def test_scores_separate_risk_from_everyday_talk() -> None:
    texts = ["I want to kill myself tonight.", "We went to the beach and had chips."]
    (risky, _), (plain, _) = score_texts(texts)
    assert risky > load_model().threshold > plain


def test_probabilities_are_a_distribution() -> None:
    m = load_model()
    z = np.zeros((1, 384), np.float32)
    score, concept = m.predict(z)[0]
    assert 0.0 <= score <= 1.0 and concept in m.classes[1:]


def test_model_hit_only_where_no_rule_fired() -> None:
    t = session((C, UNRULED), (C, "I have thought about suicide."))
    assert [h.utterance.id for h in find_risk(t)] == ["u2"]  # the analyzer runs rules only
    hits = find_risk(t, model=True)
    assert [(h.utterance.id, h.strength) for h in hits] == [("u1", "model"), ("u2", "explicit")]
    assert hits[0].rules == (MODEL_ID,) and hits[0].negated is None


def test_model_finding_says_it_cannot_point_at_words() -> None:
    findings, _ = risk_findings(session((C, "I have thought about suicide.")))
    assert all(f.data["strength"] != "model" for f in findings)
    hits = find_risk(session((C, UNRULED)), model=True)
    assert hits and hits[0].hit.words == UNRULED
