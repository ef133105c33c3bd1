"""Session measures and premature-advice flags over hand-built codings (no model involved)."""

from __future__ import annotations

import json

from sessionlens.analysis.coding import CodingResult, mi_measures, premature_advice

from ._coding_helpers import transcript


def coding(*codes: tuple[str | None, list[str] | None, str | None]) -> CodingResult:
    """(therapist behaviour, sub-codes, client talk) per utterance u0.."""
    table = {f"u{i}": {"therapist_behaviour": t, "therapist_subcodes": s or [], "client_talk": c,
                       "confidence": 0.9, "probabilities": {}}
             for i, (t, s, c) in enumerate(codes) if t or c}
    return CodingResult((), table)


T = "t"
C = "c"


def test_ratios_percentages_and_reference() -> None:
    tr = transcript(*[(T, "x")] * 7 + [(C, "y")] * 4)
    cod = coding(("question", ["open"], None), ("question", ["closed"], None), ("reflection", ["complex"], None),
                 ("reflection", ["simple"], None), ("reflection", ["complex"], None),
                 ("therapist_input", ["advice", "persuade_without_permission"], None),
                 ("other", ["affirm", "seek_collaboration"], None),
                 (None, None, "change"), (None, None, "change"), (None, None, "sustain"), (None, None, "neutral"))
    m = mi_measures(tr, cod)
    iv, ct = m["interventions"], m["client_talk"]
    assert iv["reflection_to_question_ratio"] == 1.5
    assert iv["reflections"]["percent_complex"] == 66.7
    assert iv["questions"]["percent_open"] == 50.0
    assert iv["mi_adherent"] == 2 and iv["mi_non_adherent"] == 1
    assert iv["advice_without_permission"] == 1 and iv["advice_without_permission_ids"] == ["u5"]
    assert iv["reference"]["reflection_to_question_ratio"] == {"fair": 1.0, "good": 2.0}
    assert iv["reference"]["percent_complex_reflections"] == {"fair": 40.0, "good": 50.0}
    assert ct["counts"] == {"change": 2, "neutral": 1, "sustain": 1}
    assert ct["change_to_sustain_ratio"] == 2.0
    assert len(ct["course"]) == 5 and sum(s["change"] for s in ct["course"]) == 2
    json.dumps(m)


def test_never_a_grade() -> None:
    m = json.dumps(mi_measures(transcript((T, "x")), coding(("question", ["open"], None)))).lower()
    for word in ("score", "grade", "pass", "fail", "rating"):
        assert f'"{word}' not in m


def test_undefined_ratios_are_none_not_errors() -> None:
    m = mi_measures(transcript((C, "hello")), coding((None, None, "neutral")))
    assert m["interventions"]["reflection_to_question_ratio"] is None
    assert m["interventions"]["reflections"]["percent_complex"] is None
    assert m["client_talk"]["change_to_sustain_ratio"] is None
    empty = mi_measures(transcript(), CodingResult(()))
    assert empty["client_talk"]["course"] == []


def test_course_follows_time() -> None:
    tr = transcript(*[(C, "y")] * 10)
    cod = coding(*[(None, None, "sustain")] * 5 + [(None, None, "change")] * 5)
    course = mi_measures(tr, cod)["client_talk"]["course"]
    assert course[0]["sustain"] == 2 and course[0]["change"] == 0
    assert course[-1]["change"] == 2 and course[-1]["change_share"] == 100.0
    assert course[0]["start"] == 0.0


CONCERN = "I keep drinking every night after work and my wife is getting really upset with me."


def test_advice_before_reflection_is_flagged_with_evidence() -> None:
    tr = transcript((T, "What brings you here?"), (C, CONCERN), (T, "You should stop drinking at night."))
    cod = coding(("question", ["open"], None), (None, None, "neutral"), ("therapist_input", ["advice"], None))
    flags = premature_advice(tr, cod)
    assert len(flags) == 1
    f = flags[0]
    assert f.kind == "premature_advice" and f.label == "advice"
    assert f.evidence[0].utterance_ids == ("u2",) and f.evidence[0].start == 10.0
    assert f.evidence[1].utterance_ids == ("u1",) and f.evidence[1].start == 5.0
    assert "no reflection" in f.explanation


def test_advice_after_reflection_is_not_flagged() -> None:
    tr = transcript((C, CONCERN), (T, "Your drinking is straining your marriage."), (C, "Yes."),
                    (T, "Cutting down to two drinks would help."))
    cod = coding((None, None, "neutral"), ("reflection", ["complex"], None), (None, None, "neutral"),
                 ("therapist_input", ["information"], None))
    assert premature_advice(tr, cod) == []


def test_requested_information_is_not_flagged() -> None:
    tr = transcript((C, CONCERN), (C, "What should I do about it, do you have any advice?"),
                    (T, "Many people find it helps to set a limit."))
    cod = coding((None, None, "neutral"), (None, None, "change"), ("therapist_input", ["advice"], None))
    assert premature_advice(tr, cod) == []


def test_no_concern_no_flag() -> None:
    tr = transcript((T, "Welcome."), (C, "Hi."), (T, "Today we have fifty minutes."))
    cod = coding(("other", [], None), (None, None, "neutral"), ("therapist_input", ["information"], None))
    assert premature_advice(tr, cod) == []
