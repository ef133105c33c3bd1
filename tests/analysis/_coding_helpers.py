"""Build small transcripts from (role, text) pairs for the coding tests."""

from __future__ import annotations

from sessionlens.domain import Role, Speaker, Transcript, Utterance

SPEAKERS = (Speaker("T", "Therapist", Role.THERAPIST), Speaker("C", "Client", Role.CLIENT),
            Speaker("O", "Other", Role.OTHER))
_IDS = {Role.THERAPIST: "T", Role.CLIENT: "C", Role.OTHER: "O"}


def transcript(*turns: tuple[str, str], step: float = 5.0) -> Transcript:
    """("t"|"c"|"o", text) pairs -> Transcript with ids u0.. and times every ``step`` seconds."""
    roles = {"t": Role.THERAPIST, "c": Role.CLIENT, "o": Role.OTHER}
    utts = tuple(
        Utterance(f"u{i}", _IDS[roles[r]], roles[r], i * step, i * step + step - 0.5, text)
        for i, (r, text) in enumerate(turns)
    )
    return Transcript(utts, SPEAKERS)
