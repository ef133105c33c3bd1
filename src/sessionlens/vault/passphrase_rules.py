"""The vault passphrase: the one rule a new passphrase must meet, and a strength estimate to show.

The rule (at least ``min_passphrase_length`` characters, at most :data:`MAX_LENGTH`) is checked by
``Vault.create`` and ``Vault.change_passphrase``, so `sessionlens init`, `sessionlens passphrase` and
the web set-up accept and refuse the same passphrases. The strength (zxcvbn's estimate of how many
guesses it takes) is guidance shown while typing, never a reason to refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..config import Settings
from ..errors import InputError

MAX_LENGTH = 1024  # a bound on what Argon2id is handed; far beyond any typed passphrase
ESTIMATE_PREFIX = 72  # zxcvbn refuses longer input (its cost grows faster than linearly); 72 reach the top
LABELS = ("very weak", "weak", "fair", "strong", "very strong")


def problem(passphrase: str, settings: Settings) -> str | None:
    """Why ``passphrase`` cannot be used, or None when it meets the rule."""
    if len(passphrase) < settings.min_passphrase_length:
        return f"the passphrase must have at least {settings.min_passphrase_length} characters"
    if len(passphrase) > MAX_LENGTH:
        return f"the passphrase must have at most {MAX_LENGTH} characters"
    return None


def check(passphrase: str, settings: Settings) -> None:
    """Raise :class:`InputError` with the reason when ``passphrase`` does not meet the rule."""
    if (reason := problem(passphrase, settings)) is not None:
        raise InputError(reason)


@dataclass(frozen=True, slots=True)
class Strength:
    acceptable: bool  # meets the rule (the only thing that refuses)
    score: int  # zxcvbn 0-4
    label: str
    advice: str  # the rule's reason when not acceptable, else zxcvbn's generic advice (never the input)
    length: int
    minimum: int


def assess(passphrase: str, settings: Settings, *, context: tuple[str, ...] = ()) -> Strength:
    """The rule's verdict and an estimate of strength; ``context`` words (a user name) count as guessable."""
    from zxcvbn import zxcvbn  # loaded only when a strength is asked for

    reason = problem(passphrase, settings)
    words = ["sessionlens", *context]
    result = zxcvbn(passphrase[:ESTIMATE_PREFIX], user_inputs=words) if passphrase else None
    score = int(result["score"]) if result else 0
    advice = reason or (_advice(result["feedback"]) if result else "")
    return Strength(reason is None, score, LABELS[score], advice, len(passphrase),
                    settings.min_passphrase_length)


def _advice(feedback: dict[str, Any]) -> str:  # raw boundary: zxcvbn's untyped feedback dict
    parts = [str(feedback.get("warning") or ""), *(str(s) for s in feedback.get("suggestions") or [])]
    return " ".join(p for p in parts if p)
