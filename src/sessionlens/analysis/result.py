"""The result of analysing one session: plain values, ready to serialize."""

from __future__ import annotations

from dataclasses import dataclass, field
from ..domain import Finding, Transcript
from ..payloads.document import AnalysisSettings
from ..payloads.metrics import Metrics
from .silence import Silence


@dataclass(frozen=True, slots=True)
class SessionAnalysis:
    transcript: Transcript
    metrics: Metrics
    silences: tuple[Silence, ...]
    findings: tuple[Finding, ...]
    caveats: tuple[str, ...] = ()
    settings: AnalysisSettings = field(default_factory=AnalysisSettings)
    utterance_fields: dict[str, dict[str, object]] = field(default_factory=dict)  # id -> extra JSON fields
    sections: dict[str, list[str]] = field(default_factory=dict)  # report heading -> descriptive sentences
