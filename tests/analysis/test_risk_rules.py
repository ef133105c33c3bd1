"""Risk rules as data: every rule matches its own positive examples and leaves its negatives alone, and every
finding names the rule that fired and the words it matched."""

from __future__ import annotations

import pytest

from sessionlens.analysis.risk import CATEGORIES, risk_findings
from sessionlens.analysis.risk.rules import TIERS, load_rules, parse
from sessionlens.analysis.textcues import norm

from .affect_helpers import C, T, session

RULES = load_rules()


def test_rules_are_many_and_cover_every_concept_and_tier() -> None:
    assert len(RULES) > 400 and len({r.id for r in RULES}) == len(RULES)
    assert {r.concept for r in RULES} == set(CATEGORIES) and {r.tier for r in RULES} == set(TIERS)
    assert all(r.source.strip() for r in RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_matches_its_positives_and_not_its_negatives(rule) -> None:
    assert [x for x in rule.positive if not rule.rx.search(norm(x))] == []
    assert [x for x in rule.negative if rule.rx.search(norm(x))] == []


def test_a_finding_names_its_rule_and_words() -> None:
    (f,), _ = risk_findings(session((C, "I have been thinking about killing myself.")))
    assert f.data["words"] == "killing myself" and f.data["rules"] == ["si-exp-003"]
    assert "si-exp-003" in f.explanation and f.source == "risk-rules-v3"


def test_merged_quote_names_every_rule_in_it() -> None:
    findings, _ = risk_findings(session((C, "I took a whole packet of tablets at once.")))
    ids = [i for f in findings for i in f.data["rules"]]
    assert len(ids) == len(set(ids)) >= 1
    by_id = {r.id: r for r in RULES}
    assert all(by_id[i].rx.search(f.data["words"]) for f in findings for i in f.data["rules"])


def test_denied_and_not_discussed_stay_distinct() -> None:
    asked = session((T, "Any thoughts of suicide?"), (C, "No, I've never thought about suicide."))
    denied, summary = risk_findings(asked)
    assert summary["categories"]["suicidal_ideation"]["negated"] == 1
    assert any(f.data["negated"] for f in denied)
    none, quiet = risk_findings(session((C, "We talked about the garden.")))
    assert none == [] and quiet["status"] == "not discussed" and "no risk" not in quiet["note"].lower()


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ({"id": "x-1", "concept": "sadness", "tier": "broad", "pattern": "a", "positive": ["a"],
          "negative": ["b"], "source": "s"}, "unknown concept"),
        ({"id": "x-1", "concept": "self_harm", "tier": "broad", "pattern": "a", "positive": ["a"],
          "negative": [], "source": "s"}, "one negative"),
        ({"id": "x-1", "concept": "self_harm", "tier": "loud", "pattern": "a", "positive": ["a"],
          "negative": ["b"], "source": "s"}, "unknown tier"),
        ({"id": "x-1", "concept": "self_harm", "tier": "broad", "pattern": "a", "positive": ["a"],
          "negative": ["b"], "source": ""}, "source"),
        ({"id": "x-1", "concept": "self_harm", "tier": "broad", "pattern": "(unclosed", "positive": ["a"],
          "negative": ["b"], "source": "s"}, "does not compile"),
    ],
)
def test_malformed_rule_is_refused_naming_its_id(broken: dict, message: str) -> None:
    with pytest.raises(ValueError, match=f"risk rule x-1: .*{message}"):
        parse({"rules": [broken]})


def test_duplicate_ids_and_fragment_cycles_are_refused() -> None:
    rule = {"id": "x-1", "concept": "self_harm", "tier": "broad", "pattern": "{A}", "positive": ["a"],
            "negative": ["b"], "source": "s"}
    with pytest.raises(ValueError, match="duplicate id"):
        parse({"fragments": {"A": "a"}, "rules": [rule, rule]})
    with pytest.raises(ValueError, match="cycle"):
        parse({"fragments": {"A": "{B}", "B": "{A}"}, "rules": [rule]})
