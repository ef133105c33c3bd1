"""Bad input never crashes the coders; unreadable turns fall back with low confidence."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessionlens.analysis.coding import code_transcript, mi_measures, premature_advice
from sessionlens.analysis.coding.codes import LOW_CONFIDENCE

from ._coding_helpers import transcript

turn = st.tuples(st.sampled_from("tco"), st.text(max_size=300))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(turn, max_size=12))
def test_any_text_any_roles_codes_cleanly(turns: list[tuple[str, str]]) -> None:
    tr = transcript(*turns)
    coding = code_transcript(tr)
    for u in tr.utterances:
        c = coding.codes.get(u.id)
        if u.role.value == "other":
            assert c is None
            continue
        assert c is not None
        assert 0.0 <= c["confidence"] <= 1.0
        if u.role.value == "therapist":
            assert c["therapist_behaviour"] in ("question", "reflection", "therapist_input", "other")
        else:
            assert c["client_talk"] in ("change", "neutral", "sustain")
    json.dumps(mi_measures(tr, coding))
    for f in premature_advice(tr, coding):
        assert f.evidence and 0.0 <= f.confidence <= 1.0


def test_empty_transcript_and_missing_roles() -> None:
    assert code_transcript(transcript()).findings == ()
    only_t = transcript(("t", "How are you?"), ("t", "Take your time."))
    m = mi_measures(only_t, code_transcript(only_t))
    assert m["client_talk"]["utterances_coded"] == 0 and m["interventions"]["utterances_coded"] == 2
    only_c = transcript(("c", "I want to stop drinking."))
    m = mi_measures(only_c, code_transcript(only_c))
    assert m["interventions"]["reflection_to_question_ratio"] is None


def test_empty_and_blank_turns_fall_back_low() -> None:
    codes = code_transcript(transcript(("t", ""), ("c", "   "), ("t", "..."))).codes
    assert codes["u0"]["therapist_behaviour"] == "other" and codes["u0"]["confidence"] <= LOW_CONFIDENCE
    assert codes["u1"]["client_talk"] == "neutral" and codes["u1"]["confidence"] <= LOW_CONFIDENCE
    assert codes["u2"]["confidence"] <= LOW_CONFIDENCE


def test_non_english_is_low_confidence() -> None:
    coding = code_transcript(transcript(
        ("t", "Wie geht es Ihnen heute mit dem Trinken und der Arbeit?"),
        ("c", "Ich möchte weniger trinken, aber es fällt mir schwer."),
        ("t", "Что вас беспокоит больше всего сейчас?")))
    for f in coding.findings:
        assert f.confidence <= LOW_CONFIDENCE, f
        assert "known English words" in f.explanation or "no words" in f.explanation


def test_one_word_and_very_long_turns() -> None:
    long = "I think I should probably stop drinking so much because it hurts my family. " * 3000
    coding = code_transcript(transcript(("t", "So?"), ("c", "Yeah."), ("c", long), ("t", "Okay" * 50000)))
    assert len(coding.findings) == 4
    assert coding.codes["u1"]["client_talk"] == "neutral"
