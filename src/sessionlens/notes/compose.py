"""What every slot writer gets: the transcript view, the client's statements, the analyzers' findings
grouped by kind, the metrics, and a helper that turns prose + utterance ids into a Sentence."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..analysis.result import SessionAnalysis
from ..domain import Finding
from .extract import ClientStatements, View, extract
from .model import ABSENCE, Sentence


_PUNCT = re.compile(r'([.!?]"|\.\.\."|\.\.\.)\.$')  # 'said "Tired.".' -> 'said "Tired."'


@dataclass
class Compose:
    analysis: SessionAnalysis
    view: View
    said: ClientStatements
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    origin: str = "default"

    @classmethod
    def of(cls, a: SessionAnalysis, origin: str = "default") -> Compose:
        by_kind: dict[str, list[Finding]] = {}
        for f in a.findings:
            by_kind.setdefault(f.kind, []).append(f)
        return cls(a, View(a.transcript), extract(a.transcript), by_kind, origin)

    @property
    def metrics(self) -> dict[str, Any]:
        return self.analysis.metrics

    def kind(self, name: str) -> list[Finding]:
        return self.findings.get(name, [])

    def s(self, text: str, ids: Iterable[str]) -> Sentence:
        """A transcript-based sentence; ids are put in transcript order and times filled from them."""
        known = [i for i in dict.fromkeys(ids) if i in self.view.index]
        known.sort(key=self.view.index.__getitem__)
        utts = [self.view.utts[self.view.index[i]] for i in known]
        starts = [u.start for u in utts if u.start is not None]
        ends = [u.end if u.end is not None else u.start for u in utts if (u.end or u.start) is not None]
        text = _PUNCT.sub(r"\1", text)
        return Sentence(text=text, evidence=tuple(known), start=min(starts) if starts else None,
                        end=max(ends) if ends else None, origin=self.origin)

    def absent(self, text: str, check: str) -> Sentence:
        return Sentence(text=text, basis=ABSENCE, check=check, origin=self.origin)

    def text(self, uid: str) -> str:
        return self.view.utts[self.view.index[uid]].text


def finding_ids(f: Finding) -> list[str]:
    return [i for e in f.evidence for i in e.utterance_ids]
