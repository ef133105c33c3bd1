"""Pure reflection logic: PHQ-9/GAD-7 scoring, impressions against data, markers, trends and prompts,
check-ins, and the language guard over everything the product says about a clinician."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from sessionlens.errors import InputError
from sessionlens.reflection import impressions as imp
from sessionlens.reflection import language, markers, measures, standing, trends, wellbeing

SRC = Path(__file__).resolve().parents[2] / "src" / "sessionlens"


@functools.cache
def demo_doc() -> dict:
    from sessionlens.reports.document import analysis_document
    from sessionlens.services.analysis import analyze_file

    return analysis_document(analyze_file(SRC / "data" / "demo_session.vtt"))


@pytest.mark.parametrize(("answers", "total", "band"), [
    ([0] * 9, 0, "minimal"), ([1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "mild"), ([1] * 9 + [], 9, "mild"),
    ([2, 2, 2, 2, 2, 0, 0, 0, 0], 10, "moderate"), ([2] * 7 + [1, 0], 15, "moderately severe"),
    ([3] * 7 + [0, 0], 21, "severe"), ([3] * 9, 27, "severe")])
def test_phq9_standard_scoring_and_bands(answers, total, band):
    out = measures.score("PHQ-9", answers)
    assert (out["total"], out["band"], out["max"]) == (total, band, 27)


@pytest.mark.parametrize(("total", "band"), [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"),
                                             (10, "moderate"), (14, "moderate"), (15, "severe"), (21, "severe")])
def test_gad7_bands(total, band):
    answers = [min(3, max(0, total - 3 * i)) for i in range(7)]
    assert measures.score("gad7", answers)["band"] == band


def test_phq9_item9_is_flagged_for_review_and_bad_answers_are_refused():
    assert "review" in measures.score("phq9", [0] * 8 + [1])
    assert "review" not in measures.score("phq9", [0] * 9)
    for bad in ([0] * 8, [0] * 10, [4] + [0] * 8, [-1] + [0] * 8, [True] + [0] * 8):
        with pytest.raises(InputError):
            measures.score("phq9", bad)
    with pytest.raises(InputError):
        measures.score("beck", [0] * 21)
    with pytest.raises(InputError):
        measures.parse_answers("1 2 x")
    assert measures.parse_answers("102100000") == [1, 0, 2, 1, 0, 0, 0, 0, 0]


def test_impressions_compared_with_the_demo_session():
    rows = {r["item"]: r for r in imp.compare({"talk_share": 70, "open_questions": 62, "rupture": "no",
                                               "advice_early": "no"}, demo_doc())}
    assert rows["talk_share"]["agreement"] == imp.HARSHER  # remembered 70 %, the record shows about 41 %
    assert rows["open_questions"]["agreement"] == imp.CLOSE
    assert rows["advice_early"]["agreement"] == imp.GENTLER  # the demo has early advice
    assert rows["rupture"]["agreement"] == imp.GENTLER
    summary = imp.over_time([list(rows.values()), list(rows.values())])
    assert summary["sessions"] == 2 and summary["items"]["talk_share"] == {imp.HARSHER: 2}


def test_impressions_validation():
    with pytest.raises(InputError):
        imp.validate({})
    with pytest.raises(InputError):
        imp.validate({"talk_share": 140})
    with pytest.raises(InputError):
        imp.validate({"rupture": "maybe"})
    with pytest.raises(InputError):
        imp.validate({"grade": "A"})
    assert imp.validate({"talk_share": "55%", "note": " x "}) == {"talk_share": 55, "note": "x"}


def test_relationship_markers_of_the_demo_rest_on_evidence():
    got = {m["key"]: m for m in markers.session_markers(demo_doc())}
    assert got["repair"]["value"] == "1 of 1" and got["repair"]["evidence"]
    assert got["client_topics"]["present"] and got["change_talk"]["value"] > 0
    assert got["safe_ending"]["present"] and got["confirmed"]["present"]
    ids = {u["id"] for u in demo_doc()["utterances"]}
    assert all(set(m["evidence"]) <= ids for m in got.values())


def test_confirmation_excludes_yes_but():
    assert markers.CONFIRM.search("Yes, exactly.") and not markers.CONFIRM.search("Yeah, but it's hard.")


def _point(n: int, heavy: bool, client: str = "c-aaaaaaaa", day: str = "2025-03-03") -> dict:
    doc = {"metrics": {"talk_time": {"therapist": {"share": 0.4}}, "risk": {"mentions": int(heavy)}},
           "utterances": []}
    return trends.session_point(f"s-{n:08d}", client, day + "T10:00:00.000000Z", doc)


def test_trends_prompts_are_gentle_and_triggered_by_heavy_cases():
    points = [_point(n, heavy=True) for n in range(3)]
    out = trends.clinician_trends(points, {"c-aaaaaaaa": [measures.score("phq9", [3] * 7 + [0, 1])]})
    assert len(out["heavy_sessions"]) == 3 and out["weekly_load"][0] == {"week": "2025-W10", "sessions": 3,
                                                                         "heavy": 3}
    assert any("consult" in p for p in out["prompts"]) and any("PHQ-9" in p for p in out["prompts"])
    assert any("week" in p for p in out["prompts"])
    calm = trends.clinician_trends([_point(n, heavy=False) for n in range(3)], {})
    assert calm["prompts"] == [] and calm["baselines"]["therapist_share"] == 40.0


def test_client_trends_theme_timeline_and_measure_change():
    p1 = trends.session_point("s-1", "c", "2025-01-01T00:00:00.000000Z", demo_doc())
    out = trends.client_trends([p1, p1], [measures.score("phq9", [2] * 9, None)])
    assert out["themes"][0]["status"] == "recurring" and out["themes"][0]["sessions"] == [1, 2]
    assert out["measures"]["PHQ-9"]["change"] == "one score so far"
    assert measures.change("phq9", 18, 9) == "9 points lower than the first score"


def test_checkins_validate_and_describe_without_scores():
    with pytest.raises(InputError):
        wellbeing.record({"rest": 1})
    with pytest.raises(InputError):
        standing.record({k: 6 for k in standing.KEYS})
    first = standing.record({k: 2 for k in standing.KEYS})
    later = standing.record({k: 4 for k in standing.KEYS})
    rows = standing.describe(later, first)
    assert "moved 2 step(s) toward the second" in rows[0]["sentence"]
    entry = wellbeing.record({k: 0 for k in wellbeing.KEYS})
    assert any("stretched" in s for s in wellbeing.summary(entry))


def test_language_guard_list():
    for word in ("failed", "poor", "bad", "should have", "mistake"):
        assert language.violations(f"You {word} this.")
        with pytest.raises(language.UnkindWordingError):
            language.kind(f"It was {word}.")
    assert language.violations("Should  have") == ["should  have"]
    assert not language.violations("You offered two reflections; the client confirmed both.")


def _product_strings() -> list[str]:
    """Every sentence this package writes: item wording, statements, generated sentences on real data."""
    out = [i.question for i in imp.ITEMS] + list(imp.LABELS.values()) + [s for _, s, _ in wellbeing.ITEMS]
    out += [x for d in standing.DIMENSIONS for x in d[1:]]
    out += [m["sentence"] for m in markers.session_markers(demo_doc())]
    out += [r["sentence"] for r in imp.compare({"talk_share": 90, "open_questions": 5, "reflections": "less",
                                                "advice_early": "yes", "change_talk": "a mix", "rupture": "no",
                                                "risk": "no"}, demo_doc())]
    out += trends.clinician_trends([_point(n, True) for n in range(3)],
                                   {"c-aaaaaaaa": [measures.score("phq9", [3] * 9)]})["prompts"]
    out += wellbeing.summary(wellbeing.record({k: 0 for k in wellbeing.KEYS}))
    return out


def test_everything_the_product_says_passes_the_guard():
    assert [s for s in _product_strings() if language.violations(s)] == []


def test_templates_of_reflection_pages_pass_the_guard():
    names = ("reflection", "impressions", "journal", "markers", "client_trends", "my_trends", "checkin", "packets",
             "packet_new", "packet", "deidentify")
    for name in names:
        text = re.sub(r"{[{%#].*?[}%#]}|<[^>]+>", " ", (SRC / "web" / "templates" / f"{name}.html.j2").read_text())
        assert not language.violations(text), name
