"""Shared builders for the note tests: the demo session (with and without the affect analyzers'
findings) and small hand-written transcripts."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from sessionlens.analysis.pipeline import run_analysis
from sessionlens.analysis.result import SessionAnalysis
from sessionlens.config import Settings
from sessionlens.domain import Role, Speaker, Transcript, Utterance
from sessionlens.ingest import parse_transcript
from sessionlens.services.analysis import analyze_transcript


@lru_cache(maxsize=1)
def demo() -> SessionAnalysis:
    data = resources.files("sessionlens.data").joinpath("demo_session.vtt").read_bytes()
    return analyze_transcript(parse_transcript(data, source="demo"))


@lru_cache(maxsize=1)
def demo_with_findings() -> SessionAnalysis:
    """The demo plus the relational, risk and theme findings (whether or not they are wired yet)."""
    a = demo()
    extra = []
    try:
        from sessionlens.analysis.relational import relational_moments
        from sessionlens.analysis.risk import risk_findings
        from sessionlens.analysis.themes import session_themes, theme_finding
        extra = (relational_moments(a.transcript)[0] + risk_findings(a.transcript)[0]
                 + [theme_finding(th) for th in session_themes(a.transcript)])
    except ImportError:
        pass
    have = {f.kind for f in a.findings}
    extra = [f for f in extra if f.kind not in have]
    return run_analysis(a.transcript, Settings(), tuple(a.findings) + tuple(extra))


def transcript(lines: list[tuple[str, str]], step: float = 5.0) -> Transcript:
    """(role letter T/C, text) lines -> a Transcript with times."""
    utts = tuple(Utterance(f"u{i + 1}", "T" if r == "T" else "C", Role.THERAPIST if r == "T" else Role.CLIENT,
                           i * step, i * step + step - 0.5, text) for i, (r, text) in enumerate(lines))
    speakers = (Speaker("T", "Therapist", Role.THERAPIST), Speaker("C", "Client", Role.CLIENT))
    return Transcript(utts, speakers, source_format="test")


def analysis(lines: list[tuple[str, str]]) -> SessionAnalysis:
    return run_analysis(transcript(lines), Settings())
