"""Plans, homework, next appointment, referrals and safety steps are analysis findings with evidence."""

from __future__ import annotations

from sessionlens.analysis.pipeline import run_analysis
from sessionlens.config import Settings
from sessionlens.domain import Role, Speaker, Transcript, Utterance


def _t(lines):
    utts = tuple(Utterance(f"u{i + 1}", r, Role.THERAPIST if r == "T" else Role.CLIENT, i * 5.0, i * 5.0 + 4, x)
                 for i, (r, x) in enumerate(lines))
    return Transcript(utts, (Speaker("T", "T", Role.THERAPIST), Speaker("C", "C", Role.CLIENT)), source_format="test")


LINES = [("T", "How has the week been?"), ("C", "Rough. I drank most nights and I hate it."),
         ("T", "What do you want to be different?"), ("C", "I want to cut down to weekends only."),
         ("T", "What will you do this week?"), ("C", "I'm going to keep a drink diary every night."),
         ("T", "If things get really heavy, call the crisis line or tell me."), ("C", "Okay, I will."),
         ("T", "Would it help to see your doctor about sleep? I can write a referral."),
         ("C", "Yes, I'll book an appointment with my doctor."),
         ("T", "Same time next week?"), ("C", "Yes, that works.")]


def test_each_kind_of_plan_is_a_finding_with_its_evidence():
    a = run_analysis(_t(LINES), Settings())
    plans = {f.label: [i for e in f.evidence for i in e.utterance_ids] for f in a.findings if f.kind == "plan"}
    assert "u6" in plans.get("homework", []), plans
    assert {"u7", "u8"} <= set(plans.get("safety step", [])), plans
    assert "u10" in plans.get("referral", []), plans
    assert {"u11", "u12"} <= set(plans.get("next appointment", [])), plans
    assert any(f.kind == "goal" and "u4" in f.evidence[0].utterance_ids for f in a.findings)
    assert a.metrics["plans"]["plans"]["homework"] >= 1


def test_no_plan_no_finding_and_habits_are_not_plans():
    a = run_analysis(_t([("T", "What's a typical night like?"), ("C", "Around ten I'll stop and pour a glass of wine."),
                         ("T", "Tell me about work."), ("C", "It's busy. My boss is fine.")]), Settings())
    assert not [f for f in a.findings if f.kind == "plan"]
