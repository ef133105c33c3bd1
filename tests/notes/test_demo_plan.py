"""The demo session's note captures its plan with evidence at the cues where it was said."""

from __future__ import annotations

import pytest

from sessionlens.notes import draft_note

from .helpers import demo, demo_with_findings


@pytest.fixture(scope="module", params=[demo, demo_with_findings], ids=["pipeline", "with-findings"])
def plan(request):
    return draft_note(request.param(), "soap", detail="full").section("plan").sentences


def _cites(plan, *ids):
    return [s for s in plan if set(ids) & set(s.evidence)]


def test_sleep_routine_with_evidence(plan):
    hits = _cites(plan, "u134")
    assert hits and any("laptop closed by nine" in s.text.lower() for s in hits)


def test_two_alcohol_free_evenings_with_evidence(plan):
    assert _cites(plan, "u128"), "the commitment to two nights without wine"
    days = _cites(plan, "u132")
    assert days and "Tuesday and Thursday" in days[0].text


def test_calling_the_sister_with_evidence(plan):
    hits = _cites(plan, "u140")
    assert hits and "call her this weekend" in hits[0].text
    assert any("Claire" in s.text for s in _cites(plan, "u146"))  # the confirmed summary


def test_plan_items_are_within_the_plan_cues(plan):
    cited = {int(i[1:]) for s in plan for i in s.evidence}
    assert {128, 132, 134, 140, 146} <= cited
    assert all(90 <= n <= 155 for n in cited)


def test_next_appointment(plan):
    assert any("Wednesday at four" in s.text for s in _cites(plan, "u151"))
