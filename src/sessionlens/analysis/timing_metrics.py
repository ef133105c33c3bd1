"""The objective timing analyzer: talk time, turns, windows, latency, overlaps, silences, map."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from typing import cast

from ..codec import plain
from ..config import Settings
from ..domain import Evidence, Finding, Timing, Transcript
from ..payloads.findings import InterruptionData
from ..payloads.metrics import Metrics, OverlapItem, Overlaps, SilenceSummary, TimingSlip
from .exchanges import Overlap, exchanges_measurable, find_overlaps, response_latency
from .silence import Silence, find_silences, silences_measurable
from .talk_time import talk_by_role, talk_by_speaker
from .turns import derive_turns
from .windows import session_map, talk_share_windows

SOURCE = "timing.v1"
_LISTED = 10  # slips named in the caveat itself; the JSON lists them all


def timing_metrics(t: Transcript, settings: Settings) -> tuple[Metrics, tuple[Silence, ...], tuple[Finding, ...]]:
    """Compute every timing measure of a session (pure)."""
    turns = derive_turns(t)
    silences = find_silences(t, settings.silence_threshold)
    overlaps = find_overlaps(t, settings.interruption_overlap)
    metrics = {
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
        "timing_slips": timing_slips(t),
        "unavailable": {
            k: v
            for k, v in {"silences": silences_measurable(t), "exchanges": exchanges_measurable(t)}.items()
            if v is not None
        },
    }
    # the asdict() values mirror payloads.metrics (TalkStats, TalkWindow, Latency); plain() makes them JSON
    return cast(Metrics, plain(metrics)), silences, tuple(_overlap_finding(o) for o in overlaps if o.kind == "interruption")


def timing_caveats(t: Transcript) -> tuple[str, ...]:
    out: tuple[str, ...] = ()
    if t.timing == Timing.ESTIMATED:
        out = ("The source has no timestamps: times are estimated from word counts at a typical speech "
               "rate.",)
    elif t.timing == Timing.END_ESTIMATED:
        out = ("The source gives start times only: each utterance is taken to end when the next begins.",)
    slips = timing_slips(t)
    return out + ((_slips_caveat(slips),) if slips else ())


def timing_slips(t: Transcript) -> list[TimingSlip]:
    """The utterances whose source times do not fit the timeline: utterance id, where, problem.

    Read from what the builder recorded; an utterance marked inconsistent without a record
    (a hand-edited sessionlens transcript) is still listed, by its source line.
    """
    recorded = {s.get("utterance"): s for s in t.metadata.get("timing_slips") or () if isinstance(s, dict)}
    out: list[TimingSlip] = []
    for u in t.utterances:
        if u.timing != Timing.INCONSISTENT:
            continue
        rec = recorded.get(u.id) or {}
        where = str(rec.get("where") or (f"line {u.source_line}" if u.source_line is not None else u.id))
        problem = str(rec.get("problem") or "timing inconsistent")
        out.append({"utterance": u.id, "where": where, "problem": problem})
    return out


def _slips_caveat(slips: list[TimingSlip]) -> str:
    n = len(slips)
    listed = "; ".join(f"{s['where']} — {s['problem']}" for s in slips[:_LISTED])
    more = f"; and {n - _LISTED} more (metrics.timing_slips lists every one)" if n > _LISTED else ""
    subject = "1 utterance has timestamps" if n == 1 else f"{n} utterances have timestamps"
    return (
        f"{subject} that do not fit the session's timeline. They are kept in order, placed between "
        "their neighbours, counted in talk time from their word counts at a typical speech rate, and "
        f"left out of silences, response latencies, overlaps and speech rate: {listed}{more}."
    )


def _silence_summary(silences: tuple[Silence, ...], threshold: float) -> SilenceSummary:
    longest = max(silences, key=lambda s: s.duration, default=None)
    return {
        "threshold_seconds": threshold,
        "count": len(silences),
        "total_seconds": round(sum(s.duration for s in silences), 3),
        "longest_seconds": longest.duration if longest else None,
        "broken_by_role": dict(Counter(s.after_role.value for s in silences)),
        "within_turn": sum(1 for s in silences if s.within_turn),
    }


def _overlap_summary(overlaps: tuple[Overlap, ...]) -> Overlaps:
    by_kind = Counter(o.kind for o in overlaps)
    return {
        "count": len(overlaps),
        "interruptions": by_kind.get("interruption", 0),
        "backchannels": by_kind.get("backchannel", 0),
        "brief_overlaps": by_kind.get("overlap", 0),
        "interruptions_by_role": dict(Counter(o.role.value for o in overlaps if o.kind == "interruption")),
        "items": [
            OverlapItem(kind=o.kind, start=o.start, seconds=o.seconds, speaker=o.speaker, role=o.role.value,
                        over_speaker=o.over_speaker, utterance_ids=list(o.utterance_ids)) for o in overlaps
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
        data=InterruptionData(speaker=o.speaker, over_speaker=o.over_speaker, overlap_seconds=o.seconds),
    )
