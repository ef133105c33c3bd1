"""Run the analyzers over a role-assigned transcript (pure: no storage, no I/O).

An analyzer is registered once (``register``) and is then part of every analysis: its metrics go
under ``metrics[<name>]``, its findings into ``findings``, per-utterance values (e.g. ``emotions``)
onto the utterances of the JSON document, and its ``describe()`` sentences into every report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, cast

from ..codec import plain
from ..config import Settings
from ..domain import Finding, Transcript
from ..payloads.metrics import Metrics
from .result import SessionAnalysis
from .timing_metrics import timing_caveats, timing_metrics


@dataclass(frozen=True, slots=True)
class AnalyzerOutput:
    metrics: Mapping[str, Any]  # a payload TypedDict (sessionlens.payloads.metrics) or plain JSON values
    findings: tuple[Finding, ...] = ()
    # utterance id -> {field: JSON value}, merged into that utterance in the JSON document (each analyzer's
    # fields are its own TypedDict, e.g. payloads.analysis_emotions.UtteranceEmotions; UtteranceJson names them all)
    utterance_fields: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    # extra top-level metrics sections whose names are a published contract (e.g. "interventions")
    sections: Mapping[str, Any] = field(default_factory=dict)


Section = TypeVar("Section", contravariant=True)


class Analyzer(Protocol[Section]):
    """An analyzer adds a metrics section (under its name) and findings; it never mutates its input.

    ``Section`` is what ``describe`` reads: the analyzer's section with its published ``sections`` merged in
    (e.g. payloads.metrics.RiskSummary)."""

    name: str
    title: str  # heading in the reports, e.g. "Interventions and change talk"

    def __call__(self, transcript: Transcript, settings: Settings, /) -> AnalyzerOutput: ...

    def describe(self, metrics: Section, /) -> list[str]:
        """Plain, descriptive sentences about this analyzer's metrics for the reports (never a grade)."""
        ...


ANALYZERS: list[Analyzer[Any]] = []


def register(analyzer: Analyzer[Section]) -> Analyzer[Section]:
    if all(a.name != analyzer.name for a in ANALYZERS):
        ANALYZERS.append(analyzer)
    return analyzer


def _load_builtin_analyzers() -> None:
    # Imported here (not at module load) so each shipped analyzer module registers itself on first use;
    # every one of them is required: a missing one is an ImportError, never a silently shorter report.
    from . import builtin  # noqa: F401


def run_analysis(
    t: Transcript,
    settings: Settings,
    extra_findings: tuple[Finding, ...] = (),
    analyzers: Sequence[Analyzer[Any]] | None = None,
) -> SessionAnalysis:
    """Timing metrics always; then ``analyzers`` (default: every registered one) in order."""
    _load_builtin_analyzers()
    timing, silences, findings = timing_metrics(t, settings)
    metrics: dict[str, object] = dict(timing)  # each analyzer's section joins under its own name
    all_findings = list(extra_findings) + list(findings)
    fields: dict[str, dict[str, object]] = {}
    sections: dict[str, list[str]] = {}
    for analyzer in ANALYZERS if analyzers is None else analyzers:
        out = analyzer(t, settings)
        section, published = plain(out.metrics), plain(out.sections)
        metrics[analyzer.name] = section
        metrics.update(published)
        all_findings.extend(out.findings)
        for uid, values in out.utterance_fields.items():
            fields.setdefault(uid, {}).update(plain(values))
        sections[analyzer.title] = analyzer.describe({**section, **published})
    return SessionAnalysis(
        transcript=t,
        # each analyzer's section goes in under its own name (plain JSON); the typed ones follow payloads.metrics
        metrics=cast(Metrics, metrics),
        silences=silences,
        findings=tuple(all_findings),
        caveats=timing_caveats(t),
        settings={"silence_threshold": settings.silence_threshold, "speech_rate_wpm": settings.speech_rate_wpm,
                  "window_seconds": settings.window_seconds, "interruption_overlap": settings.interruption_overlap},
        utterance_fields=fields,
        sections=sections,
    )
