"""Talk share over time in fixed windows, and the session map (who spoke when)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..domain import Transcript
from .turns import Turn


@dataclass(frozen=True, slots=True)
class Window:
    start: float
    end: float
    seconds: dict[str, float] = field(default_factory=dict)  # role -> seconds spoken in the window
    share: dict[str, float] = field(default_factory=dict)  # role -> share of the speech in the window


def talk_share_windows(t: Transcript, width: float) -> tuple[Window, ...]:
    """Seconds and share of speech per role in consecutive windows of ``width`` seconds."""
    end = t.duration
    if not end or end <= 0:
        return ()
    n = max(1, math.ceil(end / width))
    seconds: list[dict[str, float]] = [{} for _ in range(n)]
    for u in t.utterances:
        if u.start is None or u.end is None or u.end <= u.start:
            continue
        first, last = int(u.start // width), min(int(u.end // width), n - 1)
        for k in range(first, last + 1):
            part = min(u.end, (k + 1) * width) - max(u.start, k * width)
            if part > 0:
                seconds[k][u.role.value] = seconds[k].get(u.role.value, 0.0) + part
    return tuple(_window(k, width, min((k + 1) * width, end), s) for k, s in enumerate(seconds))


def _window(k: int, width: float, end: float, seconds: dict[str, float]) -> Window:
    total = sum(seconds.values())
    return Window(
        start=round(k * width, 3),
        end=round(end, 3),
        seconds={r: round(v, 3) for r, v in sorted(seconds.items())},
        share={r: round(v / total, 4) for r, v in sorted(seconds.items())} if total else {},
    )


def session_map(turns: Sequence[Turn]) -> list[dict[str, object]]:
    """Who spoke when, one block per turn (the basis of the session-map chart)."""
    return [
        {
            "speaker": turn.speaker,
            "role": turn.role.value,
            "start": None if turn.start is None else round(turn.start, 3),
            "end": None if turn.end is None else round(turn.end, 3),
            "utterance_ids": list(turn.utterance_ids),
        }
        for turn in turns
    ]
