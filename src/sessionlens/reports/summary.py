"""A renderer-neutral summary of an analysis: the rows every report (terminal, Markdown, HTML) shows.

Wording is descriptive: it says what happened and never grades the clinician.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing_extensions import TypedDict

from ..analysis.result import SessionAnalysis
from ..analysis.silence import Silence
from ..domain import Speaker
from ..payloads.metrics import Metrics, TalkStats

ROLE_ORDER = ("therapist", "client", "other")


def clock(seconds: float | None) -> str:
    """Seconds as m:ss or h:mm:ss; an em dash when unknown."""
    if seconds is None:
        return "—"
    s = int(round(seconds))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def num(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


class WindowRow(TypedDict):
    label: str
    share: dict[str, float]
    """Share of talk per role in the window."""


@dataclass(frozen=True, slots=True)
class Summary:
    headline: str
    caveats: list[str]
    roles: list[dict[str, str]]
    talk_rows: list[dict[str, str]]  # one per role
    speaker_rows: list[dict[str, str]]  # one per speaker
    windows: list[WindowRow]
    exchange_lines: list[str]
    silence_lines: list[str]
    silences: list[dict[str, str]]
    unavailable: list[str]
    sections: dict[str, list[str]]


def _talk_row(name: str, st: TalkStats) -> dict[str, str]:
    return {
        "name": name,
        "time": clock(st["seconds"]),
        "share": pct(st["share"]),
        "share_value": f"{st['share']:.4f}",
        "words": str(st["words"]),
        "wpm": num(st["words_per_minute"], 0),
        "turns": str(st["turns"]),
        "mean_turn": num(st["mean_turn_seconds"]) + " s" if st["mean_turn_seconds"] is not None else "—",
        "median_turn": num(st["median_turn_seconds"]) + " s" if st["median_turn_seconds"] is not None else "—",
        "longest_turn": clock(st["longest_turn_seconds"]),
    }


def summarize(a: SessionAnalysis) -> Summary:
    m = a.metrics
    speakers = {s.id: s for s in a.transcript.speakers}
    talk = m["talk_time"]
    return Summary(
        headline=(
            f"{clock(m['duration_seconds'])} session · {m['utterances']} utterances · {m['turns']} turns · "
            f"{len(speakers)} speakers · from {a.transcript.source_format}"
        ),
        caveats=list(a.caveats),
        roles=[
            {
                "speaker": s.name,
                "role": s.role.value,
                "confidence": pct(s.role_confidence),
                "reason": s.role_reason,
            }
            for s in speakers.values()
        ],
        talk_rows=[_talk_row(r, talk[r]) for r in ROLE_ORDER if r in talk],
        speaker_rows=[
            _talk_row(f"{speakers[sid].name} ({speakers[sid].role.value})", st) for sid, st in m["speakers"].items()
        ],
        windows=_windows(m),
        exchange_lines=_exchange_lines(m),
        silence_lines=_silence_lines(m),
        silences=[_silence_row(s, speakers) for s in a.silences],
        unavailable=[f"{k}: {v}" for k, v in m.get("unavailable", {}).items()],
        sections={title: lines for title, lines in a.sections.items() if lines},
    )


def _windows(m: Metrics) -> list[WindowRow]:
    return [
        {
            "label": f"{clock(w['start'])}–{clock(w['end'])}",
            "share": {r: w["share"].get(r, 0.0) for r in ROLE_ORDER if r in w["share"]},
        }
        for w in m["talk_share_windows"]
    ]


def _exchange_lines(m: Metrics) -> list[str]:
    lines = []
    for role, lat in m["response_latency"].items():
        lines.append(
            f"When the {role} took the floor, the median gap before they spoke was {num(lat['median'], 2)} s "
            f"({plural(lat['count'], 'change', 'changes')} of speaker)."
        )
    ov = m["overlaps"]
    if "exchanges" not in m.get("unavailable", {}):
        by_role = ", ".join(f"{r}: {n}" for r, n in sorted(ov["interruptions_by_role"].items())) or "none"
        lines.append(
            f"Overlapping speech {plural(ov['count'], 'time')}: {plural(ov['interruptions'], 'interruption')} "
            f"(by {by_role}), {plural(ov['backchannels'], 'brief listening sound')}, "
            f"{plural(ov['brief_overlaps'], 'brief overlap')}."
        )
    return lines


def _silence_lines(m: Metrics) -> list[str]:
    s = m["silence_summary"]
    if "silences" in m.get("unavailable", {}):
        return []
    if not s["count"]:
        return [f"No silences of {num(s['threshold_seconds'])} s or more."]
    broken = ", ".join(f"{r} {n}" for r, n in sorted(s["broken_by_role"].items()))
    return [
        f"{plural(s['count'], 'silence')} of {num(s['threshold_seconds'])} s or more, {num(s['total_seconds'])} s in all; "
        f"the longest lasted {num(s['longest_seconds'])} s. Broken by: {broken}."
    ]


def _silence_row(s: Silence, speakers: dict[str, Speaker]) -> dict[str, str]:
    def name(sid: str) -> str:
        return speakers[sid].name if sid in speakers else sid

    return {
        "at": clock(s.start),
        "start": f"{s.start:.3f}",
        "duration": f"{s.duration:.1f} s",
        "duration_value": f"{s.duration:.3f}",
        "before": f"{name(s.before_speaker)} ({s.before_role.value})",
        "after": f"{name(s.after_speaker)} ({s.after_role.value})",
        "before_utterance": s.before_utterance,
        "after_utterance": s.after_utterance,
        "kind": "pause within a turn" if s.within_turn else "between speakers",
    }
