"""Use case: analyse a transcript (no storage). The CLI's `analyze` and the vault both call this."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..analysis.pipeline import Analyzer, run_analysis
from ..analysis.result import SessionAnalysis
from ..config import Settings
from ..domain import Transcript
from ..ingest import load_transcript
from ..speech.roles import assign_roles


def analyze_transcript(
    transcript: Transcript,
    settings: Settings | Mapping[str, Any] | None = None,
    *,
    therapist: Sequence[str] = (),
    client: Sequence[str] = (),
    analyzers: Sequence[Analyzer[Any]] | None = None,
) -> SessionAnalysis:
    """Assign roles, then run the timing metrics and ``analyzers`` (default: all registered ones).

    Raises TranscriptError for unusable transcripts.
    """
    cfg = settings if isinstance(settings, Settings) else Settings(settings)
    with_roles, role_findings = assign_roles(transcript, therapist, client)
    return run_analysis(with_roles, cfg, role_findings, analyzers)


def analyze_file(
    path: str | Path,
    settings: Settings | Mapping[str, Any] | None = None,
    *,
    therapist: Sequence[str] = (),
    client: Sequence[str] = (),
    fmt: str | None = None,
    transcript_id: str | None = None,
) -> SessionAnalysis:
    cfg = settings if isinstance(settings, Settings) else Settings(settings)
    transcript = load_transcript(path, fmt=fmt, transcript_id=transcript_id, speech_rate_wpm=cfg.speech_rate_wpm)
    return analyze_transcript(transcript, cfg, therapist=therapist, client=client)


__all__ = ["SessionAnalysis", "analyze_file", "analyze_transcript", "assign_roles"]
