"""Recognise the columns of a tabular transcript (CSV, DOCX tables) by flexible header names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Preference order within each role: the first name present wins.
SPEAKER = ("speaker", "speaker_name", "speaker_label", "interlocutor", "role", "name", "participant", "who")
START = ("start", "start_time", "begin", "timestamp", "time", "start_seconds", "start_sec", "from")
END = ("end", "end_time", "stop", "end_seconds", "end_sec", "to")
TEXT = ("text", "utterance", "utterance_text", "transcript", "content", "sentence", "caption", "dialogue")
TRANSCRIPT_ID = ("transcript_id", "session_id", "conversation_id", "dialog_id", "dialogue_id")


@dataclass(frozen=True, slots=True)
class Columns:
    text: int
    speaker: int | None
    start: int | None
    end: int | None
    transcript_id: int | None


def normalise(name: str) -> str:
    return "_".join(name.strip().strip("\ufeff").lower().replace("-", " ").split())


def match_columns(header: Sequence[str]) -> Columns | None:
    """Column positions, or None when no text column is recognised."""
    names = [normalise(h) for h in header]

    def find(candidates: tuple[str, ...]) -> int | None:
        for c in candidates:
            if c in names:
                return names.index(c)
        return None

    text = find(TEXT)
    if text is None:
        return None
    return Columns(text, find(SPEAKER), find(START), find(END), find(TRANSCRIPT_ID))


def expected_names() -> str:
    return "a text column (" + "|".join(TEXT[:4]) + ") and usually speaker|interlocutor and start|timestamp"
