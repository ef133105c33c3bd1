"""What every slot writer gets: the analysis findings grouped by kind (plans, goals, concerns, mood,
techniques, relational events, risk...), read back into the small types the slots write from, the
metrics, and a helper that turns prose + utterance ids into a Sentence. Notes detect nothing
themselves: every statement comes from an analyzer's finding."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..analysis.plans import Statement
from ..analysis.result import SessionAnalysis
from ..analysis.statements import Concern
from ..analysis.view import View
from ..domain import Finding
from ..payloads.metrics import Metrics
from .model import ABSENCE, Sentence

_PUNCT = re.compile(r'([.!?]"|\.\.\."|\.\.\.)\.$')  # 'said "Tired.".' -> 'said "Tired."'


def finding_ids(f: Finding) -> list[str]:
    return [i for e in f.evidence for i in e.utterance_ids]


def as_statement(f: Finding) -> Statement:
    """A plan, goal, mood or insight finding as the statement it records."""
    d = f.data
    return Statement(str(d.get("form") or f.label), tuple(finding_ids(f)), str(d.get("words", "")),
                     str(d.get("prompt", "")), str(d.get("topic", "")))


def as_concern(f: Finding) -> Concern:
    d = f.data
    return Concern(str(d.get("topic", "")), f.label, tuple(finding_ids(f)), str(d.get("best_id", "")),
                   str(d.get("best", "")))


@dataclass
class ClientStatements:
    """The client's statements as the analyzers found them."""

    concerns: list[Concern] = field(default_factory=list)
    goals: list[Statement] = field(default_factory=list)
    plans: list[tuple[str, Statement]] = field(default_factory=list)  # (category, statement)
    mood: list[Statement] = field(default_factory=list)
    insight: list[Statement] = field(default_factory=list)

    @classmethod
    def of(cls, by_kind: dict[str, list[Finding]]) -> ClientStatements:
        return cls(concerns=[as_concern(f) for f in by_kind.get("concern", [])],
                   goals=[as_statement(f) for f in by_kind.get("goal", [])],
                   plans=[(f.label, as_statement(f)) for f in by_kind.get("plan", [])],
                   mood=[as_statement(f) for f in by_kind.get("mood", [])],
                   insight=[as_statement(f) for f in by_kind.get("insight", [])])

    def plan_ids(self) -> set[str]:
        return {i for _, s in self.plans for i in s.ids}


@dataclass
class Compose:
    analysis: SessionAnalysis
    view: View
    said: ClientStatements
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    origin: str = "default"
    modality: str = ""

    @classmethod
    def of(cls, a: SessionAnalysis, origin: str = "default", modality: str = "") -> Compose:
        by_kind: dict[str, list[Finding]] = {}
        for f in a.findings:
            by_kind.setdefault(f.kind, []).append(f)
        return cls(a, View(a.transcript), ClientStatements.of(by_kind), by_kind, origin, modality)

    @property
    def metrics(self) -> Metrics:
        return self.analysis.metrics

    def kind(self, name: str) -> list[Finding]:
        return self.findings.get(name, [])

    def s(self, text: str, ids: Iterable[str]) -> Sentence:
        """A transcript-based sentence; ids are put in transcript order and times filled from them."""
        known = [i for i in dict.fromkeys(ids) if i in self.view.index]
        known.sort(key=self.view.index.__getitem__)
        utts = [self.view.utts[self.view.index[i]] for i in known]
        starts = [u.start for u in utts if u.start is not None]
        ends = [t for t in (u.end if u.end is not None else u.start for u in utts) if t is not None]
        text = _PUNCT.sub(r"\1", text)
        return Sentence(text=text, evidence=tuple(known), start=min(starts) if starts else None,
                        end=max(ends) if ends else None, origin=self.origin)

    def absent(self, text: str, check: str) -> Sentence:
        return Sentence(text=text, basis=ABSENCE, check=check, origin=self.origin)

    def text(self, uid: str) -> str:
        return self.view.utts[self.view.index[uid]].text
