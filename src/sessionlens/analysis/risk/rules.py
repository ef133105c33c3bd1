"""The risk rules, read from ``rules.json`` (package data) so every flag can be traced to one rule.

Each rule has an ``id`` (named in every finding), the ``concept`` it flags, a ``tier`` (``explicit`` names the
act, ``indirect`` is a common way of saying it, ``context`` is a plan/means word that counts only near another
ideation cue, ``broad`` is a concept co-occurrence for unanticipated wording), a regex ``pattern``, at least
one ``positive`` and one ``negative`` example (a test runs each against its rule), and its ``source`` (the
development round and the reason it was added). Patterns may name shared word fields as ``{NAME}``; the
``fragments`` table holds them, and may itself name smaller fragments.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .lexicon import CATEGORIES

TIERS = ("explicit", "indirect", "context", "broad")
_NAME = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")  # never a regex quantifier: those hold digits


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    concept: str
    tier: str
    pattern: str  # expanded
    positive: tuple[str, ...]
    negative: tuple[str, ...]
    source: str
    rx: re.Pattern[str]


def expand(pattern: str, fragments: dict[str, str]) -> str:
    """Replace ``{NAME}`` with its fragment until none is left (fragments may nest, never cycle)."""
    for _ in range(10):
        if not _NAME.search(pattern):
            return pattern
        pattern = _NAME.sub(lambda m: fragments[m.group(1)], pattern)
    raise ValueError("risk rules: fragments nest too deeply (a cycle?)")


def _compile(rid: str, pattern: str, tier: str) -> re.Pattern[str]:
    # Fixed cues are whole words; broad patterns carry their own boundaries.
    try:
        return re.compile(pattern if tier == "broad" else rf"\b(?:{pattern})\b", re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"risk rule {rid}: pattern does not compile ({exc})") from exc


def parse(doc: dict) -> tuple[Rule, ...]:
    """Validated rules from the JSON document; a malformed rule is a clear error naming its id."""
    fragments = doc.get("fragments", {})
    rules: list[Rule] = []
    seen: set[str] = set()
    for r in doc["rules"]:
        rid = r.get("id", "?")
        problem = _problem(r, seen)
        if problem:
            raise ValueError(f"risk rule {rid}: {problem}")
        seen.add(rid)
        pattern = expand(r["pattern"], fragments)
        rules.append(
            Rule(rid, r["concept"], r["tier"], pattern, tuple(r["positive"]), tuple(r["negative"]),
                 r["source"], _compile(rid, pattern, r["tier"]))
        )
    return tuple(rules)


def _problem(r: dict, seen: set[str]) -> str | None:
    if r.get("id") in seen:
        return "duplicate id"
    if r.get("concept") not in CATEGORIES:
        return f"unknown concept {r.get('concept')!r}"
    if r.get("tier") not in TIERS:
        return f"unknown tier {r.get('tier')!r}"
    if not r.get("positive") or not r.get("negative"):
        return "needs at least one positive and one negative example"
    if not r.get("source") or not r.get("pattern"):
        return "needs a pattern and a source"
    return None


@cache
def load_rules() -> tuple[Rule, ...]:
    text = resources.files(__package__).joinpath("rules.json").read_text(encoding="utf-8")
    return parse(json.loads(text))
