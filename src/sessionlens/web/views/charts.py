"""SVG geometry for the charts (drawn by the templates; colours come from the stylesheet).

Every mark that stands for a moment carries its utterance id and start time, so the browser
can jump the transcript and the audio there. No chart library, nothing fetched.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

from ...payloads.analysis_emotions import EmotionsMetrics
from ...payloads.document import AnalysisDocument
from ...payloads.web_charts import (ArcLine, ArcPoint, BarChart, ChartLabel, EmotionArcChart, Mark, SessionTrendRow,
                                    Tick)
from ..format import clock, percent
from .analysis_doc import metrics_of, section

WIDTH, LABEL, LANE = 900.0, 130.0, 26.0


def _ticks(duration: float, scale: float) -> list[Tick]:
    step = next(s for s in (30, 60, 120, 300, 600, 900, 1800, 3600, 1e9) if duration / s <= 10)
    out: list[Tick] = []
    t = 0.0
    while t <= duration:
        out.append({"x": LABEL + t * scale, "text": clock(t)})
        t += step
    return out


def session_map(doc: AnalysisDocument) -> BarChart | None:
    """One lane per speaker, a block per turn, silences as grey bands across the lanes."""
    duration = metrics_of(doc).get("duration_seconds")
    blocks = metrics_of(doc).get("session_map") or []
    if not duration or not blocks:
        return None
    speakers = doc.get("speakers", [])
    lane = {s["id"]: i for i, s in enumerate(speakers)}
    scale = (WIDTH - LABEL) / duration
    height = LANE * len(speakers)
    marks: list[Mark] = [{"x": LABEL + s["start"] * scale, "y": 0, "w": max(s["duration"] * scale, 1.5), "h": height,
              "cls": "silence", "title": f"silence {s['duration']:.1f} s at {clock(s['start'])}",
              "uid": s.get("after_utterance"), "start": s["start"]} for s in doc.get("silences", [])]
    for b in blocks:
        start, end = b.get("start"), b.get("end")
        if start is None or end is None or b["speaker"] not in lane:
            continue
        marks.append({"x": LABEL + start * scale, "y": lane[b["speaker"]] * LANE + 3,
                      "w": max((end - start) * scale, 1.0), "h": LANE - 6, "cls": f"role-{b['role']}",
                      "title": f"{b['role']} {clock(start)}–{clock(end)}",
                      "uid": b["utterance_ids"][0], "start": start})
    labels: list[ChartLabel] = [{"x": 4.0, "y": i * LANE + LANE * 0.65, "text": f"{s['name']} ({s['role']})"}
              for i, s in enumerate(speakers)]
    return {"width": WIDTH, "height": height + 20, "marks": [SimpleNamespace(**m) for m in marks], "labels": labels,
            "ticks": _ticks(duration, scale), "axis_y": height + 14}


def share_windows(doc: AnalysisDocument) -> BarChart | None:
    """Stacked bars: each role's share of speech per time window."""
    windows = metrics_of(doc).get("talk_share_windows") or []
    if not windows:
        return None
    bar, gap, width = 18.0, 6.0, WIDTH - LABEL
    marks: list[Mark] = []
    labels: list[ChartLabel] = []
    for i, w in enumerate(windows):
        x, y = LABEL, i * (bar + gap)
        labels.append({"x": 4.0, "y": y + bar * 0.75, "text": f"{clock(w['start'])}–{clock(w['end'])}"})
        for role in ("therapist", "client", "other"):
            share = w.get("share", {}).get(role, 0.0)
            if share > 0:
                marks.append({"x": x, "y": y, "w": share * width, "h": bar, "cls": f"role-{role}",
                              "title": f"{role} {percent(share)}", "uid": None, "start": w["start"]})
                x += share * width
    return {"width": WIDTH, "height": len(windows) * (bar + gap), "marks": marks, "labels": labels, "ticks": []}


def emotion_arc(doc: AnalysisDocument) -> EmotionArcChart | None:
    """Per role, mean emotional intensity across equal parts of the session; points link to the peak."""
    roles = cast(EmotionsMetrics, section(doc, "emotions")).get("roles") or {}
    height, top = 160.0, 10.0
    lines: list[ArcLine] = []
    points: list[ArcPoint] = []
    for role, arc in roles.items():
        segs = arc.get("segments") or []
        if not segs:
            continue
        step = (WIDTH - LABEL) / max(len(segs) - 1, 1)
        coords = []
        for k, s in enumerate(segs):
            intensity = s.get("intensity")
            if intensity is None:
                continue
            x, y = LABEL + k * step, top + (1 - float(intensity)) * (height - 2 * top)
            coords.append(f"{x:.1f},{y:.1f}")
            points.append({"x": x, "y": y, "cls": f"role-{role}", "uid": s.get("peak_utterance"),
                           "title": f"{role}, part {k + 1}: {s.get('dominant') or 'neutral'} "
                                    f"(intensity {float(intensity):.2f})"})
        lines.append({"cls": f"role-{role}", "points": " ".join(coords), "role": role})
    if not points:
        return None
    return {"width": WIDTH, "height": height, "lines": lines, "points": points,
            "labels": [{"x": 4.0, "y": top + 8, "text": "more intense"},
                       {"x": 4.0, "y": height - top, "text": "neutral"}]}


def trends(rows: list[SessionTrendRow]) -> dict[str, object] | None:  # a Jinja context
    """Across sessions: the therapist's share of talk time and the number of silences, as points."""
    usable = [(r, share) for r in rows if (share := r["therapist_share"]) is not None]
    if len(usable) < 1:
        return None
    height, top = 160.0, 12.0
    step = (WIDTH - LABEL) / max(len(usable) - 1, 1)
    points = [{"x": LABEL + i * step, "y": top + (1 - share) * (height - 2 * top),
               "title": f"session {i + 1} ({r['date']}): therapist {percent(share)} of talk time",
               "href": f"/sessions/{r['id']}"} for i, (r, share) in enumerate(usable)]
    return {"width": WIDTH, "height": height, "points": points,
            "line": " ".join(f"{p['x']:.1f},{p['y']:.1f}" for p in points),
            "labels": [{"x": 4.0, "y": top + 8, "text": "100% therapist"},
                       {"x": 4.0, "y": (height) / 2, "text": "50%"},
                       {"x": 4.0, "y": height - top, "text": "0%"}]}
