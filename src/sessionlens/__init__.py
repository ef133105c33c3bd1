"""sessionlens — a local-first, security-first review partner for therapists and counselors."""

from __future__ import annotations

from .domain import Evidence, Finding, Role, Speaker, Timing, Transcript, Utterance, Word
from .errors import (
    AuthError,
    ConfigError,
    ConsentError,
    InputError,
    IntegrityError,
    NotFoundError,
    ParseError,
    SessionlensError,
    TimestampError,
    TranscriptError,
    UnsupportedFormatError,
)

__version__ = "0.1.0"

__all__ = [
    "AuthError",
    "ConfigError",
    "ConsentError",
    "Evidence",
    "Finding",
    "InputError",
    "IntegrityError",
    "NotFoundError",
    "ParseError",
    "Role",
    "SessionlensError",
    "Speaker",
    "Timing",
    "TimestampError",
    "Transcript",
    "TranscriptError",
    "UnsupportedFormatError",
    "Utterance",
    "Word",
    "__version__",
]
