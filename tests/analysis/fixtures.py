"""Hand-built transcripts whose metrics were computed by hand (see each test)."""

from __future__ import annotations

from sessionlens.domain import Role, Speaker, Timing, Transcript, Utterance


def utt(i: int, speaker: str, start: float | None, end: float | None, text: str,
        role: Role = Role.OTHER, timing: Timing = Timing.SOURCE) -> Utterance:
    return Utterance(f"u{i}", speaker, role, start, end, text, timing=timing)


def hand_session() -> Transcript:
    """A: therapist-like, B: client-like. Overlap at u4/u5 (0.5 s), a backchannel u6 inside u5."""
    rows = [
        (1, "A", 0.0, 4.0, "How have you been this week?"),
        (2, "B", 4.5, 10.0, "Not great, I have been tired."),
        (3, "B", 10.2, 12.0, "Really tired."),
        (4, "A", 16.0, 20.0, "It sounds like you are exhausted."),
        (5, "B", 19.5, 25.0, "Yes, exactly, I am."),
        (6, "A", 22.0, 22.5, "Mm-hm."),
        (7, "A", 30.0, 33.0, "What would help?"),
    ]
    return Transcript(tuple(utt(*r) for r in rows), (Speaker("A", "A"), Speaker("B", "B")), source_format="test")
