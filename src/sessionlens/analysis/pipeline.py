"""Run the analyzers over a role-assigned transcript (pure: no storage, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from ..config import Settings
from ..domain import Finding, Transcript
from .result import SessionAnalysis
from .timing_metrics import timing_caveats, timing_metrics


@dataclass(frozen=True, slots=True)
class AnalyzerOutput:
    metrics: dict[str, Any]
    findings: tuple[Finding, ...] = ()


class Analyzer(Protocol):
    """An analyzer adds a metrics section (under its name) and findings; it never mutates its input."""

    name: str

    def __call__(self, transcript: Transcript, settings: Settings) -> AnalyzerOutput: ...


# Later analyzers (coding, emotions, themes...) register here; timing runs first and always.
ANALYZERS: list[Analyzer] = []


def register(analyzer: Analyzer) -> Analyzer:
    ANALYZERS.append(analyzer)
    return analyzer


def run_analysis(t: Transcript, settings: Settings, extra_findings: tuple[Finding, ...] = ()) -> SessionAnalysis:
    metrics, silences, findings = timing_metrics(t, settings)
    all_findings = list(extra_findings) + list(findings)
    for analyzer in ANALYZERS:
        out = analyzer(t, settings)
        metrics[analyzer.name] = out.metrics
        all_findings.extend(out.findings)
    return SessionAnalysis(
        transcript=t,
        metrics=metrics,
        silences=silences,
        findings=tuple(all_findings),
        caveats=timing_caveats(t),
        settings=dict(settings),
    )
