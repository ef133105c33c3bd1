"""Inline SVG geometry for the HTML report (no JavaScript library, no external asset)."""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis.result import SessionAnalysis
from .summary import clock

ROLE_COLOURS = {"therapist": "#2a7f8f", "client": "#a0527a", "other": "#b08a2e"}
LANE_HEIGHT = 26
MAP_WIDTH = 960
LABEL_WIDTH = 150


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    colour: str
    title: str
    href: str = ""


@dataclass(frozen=True, slots=True)
class Chart:
    width: float
    height: float
    rects: list[Rect]
    labels: list[tuple[float, float, str]]  # x, y, text
    ticks: list[tuple[float, str]]  # x, text


def _ticks(duration: float, scale: float) -> list[tuple[float, str]]:
    step = next(s for s in (30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 1e9) if duration / s <= 12)
    out, t = [], 0.0
    while t <= duration:
        out.append((LABEL_WIDTH + t * scale, f"{int(t // 60)}:{int(t % 60):02d}"))
        t += step
    return out


def session_map_chart(a: SessionAnalysis) -> Chart | None:
    """One lane per speaker, a block per turn, silences as grey bands across all lanes."""
    duration = a.metrics.get("duration_seconds")
    if not duration:
        return None
    speakers = list(a.transcript.speakers)
    lane = {s.id: i for i, s in enumerate(speakers)}
    scale = (MAP_WIDTH - LABEL_WIDTH) / duration
    height = LANE_HEIGHT * len(speakers)
    rects = [
        Rect(LABEL_WIDTH + s.start * scale, 0, max(s.duration * scale, 1.0), height, "#d9d9d9",
             f"silence {s.duration:.1f} s", f"#{s.after_utterance}")
        for s in a.silences
    ]
    for block in a.metrics["session_map"]:
        if block["start"] is None or block["end"] is None:
            continue
        rects.append(Rect(
            LABEL_WIDTH + block["start"] * scale, lane[block["speaker"]] * LANE_HEIGHT + 3,
            max((block["end"] - block["start"]) * scale, 0.8), LANE_HEIGHT - 6,
            ROLE_COLOURS.get(block["role"], "#888"), f"{block['role']} {block['start']:.0f}–{block['end']:.0f} s",
            f"#{block['utterance_ids'][0]}",
        ))
    labels = [(4.0, i * LANE_HEIGHT + LANE_HEIGHT * 0.65, f"{s.name} ({s.role.value})") for i, s in enumerate(speakers)]
    return Chart(MAP_WIDTH, height + 18, rects, labels, _ticks(duration, scale))


def share_chart(a: SessionAnalysis) -> Chart | None:
    """Stacked bars: the share of speech per role in each time window."""
    windows = a.metrics.get("talk_share_windows") or []
    if not windows:
        return None
    bar_h, gap = 20, 6
    width = MAP_WIDTH - LABEL_WIDTH
    rects: list[Rect] = []
    labels: list[tuple[float, float, str]] = []
    for i, w in enumerate(windows):
        x, y = float(LABEL_WIDTH), i * (bar_h + gap)
        labels.append((4.0, y + bar_h * 0.7, f"{clock(w['start'])}–{clock(w['end'])}"))
        for role in ("therapist", "client", "other"):
            share = w["share"].get(role, 0.0)
            if share > 0:
                rects.append(Rect(x, y, share * width, bar_h, ROLE_COLOURS[role], f"{role} {share * 100:.0f}%"))
                x += share * width
    return Chart(MAP_WIDTH, len(windows) * (bar_h + gap), rects, labels, [])
