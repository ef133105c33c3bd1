"""Clinician corrections: applied over model codes, agreement reported, exportable as training rows."""

from __future__ import annotations

import json

import pytest

from sessionlens.analysis.coding import CodingResult
from sessionlens.analysis.coding.corrections import (
    agreement,
    agreement_over_time,
    apply_corrections,
    session_agreement,
    training_rows,
)
from sessionlens.errors import InputError

from ._coding_helpers import transcript


def model_coding() -> CodingResult:
    return CodingResult((), {
        "u0": {"therapist_behaviour": "question", "therapist_subcodes": ["closed"], "client_talk": None,
               "confidence": 0.7, "probabilities": {}},
        "u1": {"therapist_behaviour": None, "therapist_subcodes": [], "client_talk": "neutral",
               "confidence": 0.6, "probabilities": {}},
    })


def test_apply_keeps_model_value_and_marks_correction() -> None:
    fixed = apply_corrections(model_coding(), [{"utterance_id": "u1", "field": "client_talk", "value": "change"},
                                               {"utterance_id": "u0", "field": "therapist_subcodes",
                                                "value": ["open"]}])
    assert fixed.codes["u1"]["client_talk"] == "change" and fixed.codes["u1"]["confidence"] == 1.0
    assert fixed.codes["u1"]["model"]["client_talk"] == "neutral" and fixed.codes["u1"]["corrected"]
    assert fixed.codes["u0"]["therapist_subcodes"] == ["open"]
    assert model_coding().codes["u1"]["client_talk"] == "neutral"  # original untouched
    rows = training_rows(transcript(("t", "Do you drink?"), ("c", "I want to stop.")), fixed)
    assert rows[1] == {"utterance_index": 1, "interlocutor": "client", "utterance_text": "I want to stop.",
                       "label": "change", "subcodes": [], "corrected": True}
    json.dumps(rows)


@pytest.mark.parametrize("bad", [
    {"utterance_id": "u9", "field": "client_talk", "value": "change"},
    {"utterance_id": "u1", "field": "mood", "value": "x"},
    {"utterance_id": "u1", "field": "client_talk", "value": "happy"},
    {"utterance_id": "u1", "field": "therapist_behaviour", "value": "question"},
    {"utterance_id": "u0", "field": "therapist_subcodes", "value": "open"},
])
def test_bad_corrections_are_input_errors(bad: dict) -> None:
    with pytest.raises(InputError):
        apply_corrections(model_coding(), [bad])


def test_agreement_and_kappa() -> None:
    assert agreement([]) == {"n": 0, "agreement": None, "kappa": None}
    got = agreement([("a", "a"), ("b", "b"), ("a", "b"), ("b", "b")])
    assert got["agreement"] == 0.75 and got["kappa"] == 0.5
    rows = agreement_over_time([
        ("2026-01-05", model_coding(), [{"utterance_id": "u1", "field": "client_talk", "value": "neutral"}]),
        ("2026-01-12", model_coding(), [{"utterance_id": "u0", "field": "therapist_behaviour",
                                         "value": "reflection"}]),
    ])
    assert rows[0]["session"] == "2026-01-05" and rows[0]["client_talk"]["agreement"] == 1.0
    assert rows[1]["therapist_behaviour"]["agreement"] == 0.0
    assert session_agreement(model_coding(), [])["client_talk"]["n"] == 0
