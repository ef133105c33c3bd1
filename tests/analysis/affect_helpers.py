"""Helpers for the affect / relational / risk tests: tiny hand-written sessions and the bundled demo."""

from __future__ import annotations

from importlib import resources

from sessionlens.domain import Role, Speaker, Transcript, Utterance

T, C = Role.THERAPIST, Role.CLIENT


def session(*turns: tuple[Role, str], gap: float = 1.0, seconds_per_word: float = 0.3) -> Transcript:
    """Alternating hand-written turns with simple times: each turn lasts its word count × 0.3 s, then a gap."""
    utts, now = [], 0.0
    for i, (role, text) in enumerate(turns, 1):
        dur = max(0.5, len(text.split()) * seconds_per_word)
        spk = "T" if role == T else "C"
        utts.append(Utterance(f"u{i}", spk, role, round(now, 3), round(now + dur, 3), text))
        now += dur + gap
    return Transcript(tuple(utts), (Speaker("T", "T", T), Speaker("C", "C", C)), source_format="test")


def with_pauses(t: Transcript, pauses: dict[str, float]) -> Transcript:
    """Shift every utterance after each listed id by the given extra seconds of silence."""
    out, shift = [], 0.0
    for u in t.utterances:
        out.append(Utterance(u.id, u.speaker, u.role, u.start + shift, u.end + shift, u.text))
        shift += pauses.get(u.id, 0.0)
    return Transcript(tuple(out), t.speakers, source_format=t.source_format)


def demo_transcript() -> Transcript:
    """The bundled fictional demo session, parsed and with roles assigned (skips if the parser is absent)."""
    import pytest

    ingest = pytest.importorskip("sessionlens.ingest")
    roles = pytest.importorskip("sessionlens.speech.roles")
    data = (resources.files("sessionlens") / "data" / "demo_session.vtt").read_bytes()
    t = ingest.parse_transcript(data, source="demo_session.vtt")
    with_roles, _ = roles.assign_roles(t, (), ())
    return with_roles
