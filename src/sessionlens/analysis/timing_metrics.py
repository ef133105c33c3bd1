"""The objective timing analyzer: talk time, turns, windows, latency, overlaps, silences, map."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from typing import Any

from ..codec import plain
from ..config import Settings
from ..domain import Evidence, Finding, Timing, Transcript
from .exchanges import Overlap, exchanges_measurable, find_overlaps, response_latency
from .silence import Silence, find_silences, silences_measurable
from .talk_time import talk_by_role, talk_by_speaker
from .turns import derive_turns
from .windows import session_map, talk_share_windows

SOURCE = "timing.v1"


def timing_metrics(t: Transcript, settings: Settings) -> tuple[dict[str, Any], tuple[Silence, ...], tuple[Finding, ...]]:
    """Compute every timing measure of a session (pure)."""
    turns = derive_turns(t)
    silences = find_silences(t, settings.silence_threshold)
    overlaps = find_overlaps(t, settings.interruption_overlap)
    metrics: dict[str, Any] = {
        "duration_seconds": None if t.duration is None else round(t.duration, 3),
        "timing": t.timing.value,
        "utterances": len(t.utterances),
        "turns": len(turns),
        "talk_time": {k: asdict(v) for k, v in talk_by_role(t, turns).items()},
        "speakers": {k: asdict(v) for k, v in talk_by_speaker(t, turns).items()},
        "talk_share_windows": [asdict(w) for w in talk_share_windows(t, settings.window_seconds)],
        "window_seconds": settings.window_seconds,
        "response_latency": {k: asdict(v) for k, v in response_latency(t, turns).items()},
        "overlaps": _overlap_summary(overlaps),
        "silence_summary": _silence_summary(silences, settings.silence_threshold),
        "session_map": session_map(turns),
        "unavailable": {
            k: v
            for k, v in {"silences": silences_measurable(t), "exchanges": exchanges_measurable(t)}.items()
            if v is not None
        },
    }
    return plain(metrics), silences, tuple(_overlap_finding(o) for o in overlaps if o.kind == "interruption")


def timing_caveats(t: Transcript) -> tuple[str, ...]:
    if t.timing == Timing.ESTIMATED:
        return ("The source has no timestamps: times are estimated from word counts at a typical speech rate.",)
    if t.timing == Timing.END_ESTIMATED:
        return ("The source gives start times only: each utterance is taken to end when the next begins.",)
    return ()


def _silence_summary(silences: tuple[Silence, ...], threshold: float) -> dict[str, Any]:
    longest = max(silences, key=lambda s: s.duration, default=None)
    return {
        "threshold_seconds": threshold,
        "count": len(silences),
        "total_seconds": round(sum(s.duration for s in silences), 3),
        "longest_seconds": longest.duration if longest else None,
        "broken_by_role": dict(Counter(s.after_role.value for s in silences)),
        "within_turn": sum(1 for s in silences if s.within_turn),
    }


def _overlap_summary(overlaps: tuple[Overlap, ...]) -> dict[str, Any]:
    by_kind = Counter(o.kind for o in overlaps)
    return {
        "count": len(overlaps),
        "interruptions": by_kind.get("interruption", 0),
        "backchannels": by_kind.get("backchannel", 0),
        "brief_overlaps": by_kind.get("overlap", 0),
        "interruptions_by_role": dict(Counter(o.role.value for o in overlaps if o.kind == "interruption")),
        "items": [
            {**asdict(o), "role": o.role.value, "utterance_ids": list(o.utterance_ids)} for o in overlaps
        ],
    }


def _overlap_finding(o: Overlap) -> Finding:
    return Finding(
        kind="interruption",
        label=o.role.value,
        confidence=1.0,
        evidence=(Evidence(o.utterance_ids, o.start, round(o.start + o.seconds, 3), "speech overlapped"),),
        source=SOURCE,
        explanation=f"started {o.seconds:.1f} s before the previous speaker's utterance ended",
        data={"speaker": o.speaker, "over_speaker": o.over_speaker, "overlap_seconds": o.seconds},
    )
