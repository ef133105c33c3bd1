"""Trends: per client across sessions, and per clinician across their caseload, with gentle prompts
to consult when a case or a week is heavy. Inputs are stored analysis documents and recorded
measures; outputs are plain dicts (numbers, sentences, evidence ids)."""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from ..codec import utterance_from_dict
from ..domain import Transcript
from ..payloads.reflection_trends import (
    Baselines,
    ClientTrends,
    ClinicianTrends,
    HeavySession,
    MeaningThemeRow,
    MeasurePoint,
    MeasureSeries,
    SessionPoint,
    ThemeRow,
    WeekLoad,
)
from .language import kind
from .measures import change, instrument

TRAUMA = re.compile(r"(?i)\b(?:trauma\w*|abus(?:e|ed|ive)|assault\w*|raped?|molest\w*|flashbacks?|nightmares?|"
                    r"ptsd|violen(?:ce|t)|beat (?:me|her|him|us)|hit me|attacked|shooting|war zone|combat)\b")
HEAVY_TRAUMA_CUES = 2


def _get(doc: Mapping[str, Any], *path: str) -> Any:
    cur: Any = doc
    for p in path:
        cur = cur.get(p) if isinstance(cur, Mapping) else None
    return cur


def session_point(session_id: str, client_id: str, created_at: str, doc: Mapping[str, Any]) -> SessionPoint:
    """The numbers one session contributes to trends."""
    client_utts = [u for u in doc.get("utterances", []) if u.get("role") == "client"]
    trauma = [u["id"] for u in client_utts if TRAUMA.search(u.get("text", ""))]
    risk = _get(doc, "metrics", "risk") or {}
    share = _get(doc, "metrics", "talk_time", "therapist", "share")
    counts = _get(doc, "metrics", "client_talk", "counts") or {}
    reasons = (["risk language for review"] if risk.get("mentions") else []) + \
        (["trauma content"] if len(trauma) >= HEAVY_TRAUMA_CUES else [])
    rel = _get(doc, "metrics", "relational") or {}
    return {
        "session": session_id, "client": client_id, "date": created_at[:10],
        "therapist_share": None if share is None else round(100 * share, 1),
        "rq": _get(doc, "metrics", "interventions", "reflection_to_question_ratio"),
        "percent_open": _get(doc, "metrics", "interventions", "questions", "percent_open"),
        "percent_complex": _get(doc, "metrics", "interventions", "reflections", "percent_complex"),
        "change": counts.get("change"), "sustain": counts.get("sustain"),
        "percent_change": _get(doc, "metrics", "client_talk", "percent_change_of_change_and_sustain"),
        "emotions": list(_get(doc, "metrics", "emotions", "roles", "client", "top_emotions") or {})[:3],
        "themes": [t["name"] for t in (_get(doc, "metrics", "themes", "themes") or [])],
        "risk_mentions": risk.get("mentions", 0), "trauma_cues": len(trauma),
        "unrepaired": max(0, (rel.get("counts") or {}).get("rupture", 0) - rel.get("ruptures_followed_by_repair", 0)),
        "heavy": bool(reasons), "heavy_reasons": reasons,
    }


def theme_timeline(points: Sequence[SessionPoint]) -> list[ThemeRow]:
    """Each theme with the sessions (1-based, oldest first) it appeared in."""
    seen: dict[str, list[int]] = defaultdict(list)
    for n, p in enumerate(points, 1):
        for t in p["themes"]:
            seen[t].append(n)
    rows: list[ThemeRow] = [{"theme": t, "sessions": ns, "status": "recurring" if len(ns) > 1 else "once"} for t, ns in seen.items()]
    return sorted(rows, key=lambda r: (-len(r["sessions"]), r["sessions"][0], r["theme"]))


MEANING_QUOTES = 2  # quotes shown per session a meaning theme appears in


def meaning_timeline(docs: Sequence[tuple[str, Mapping[str, Any]]]) -> list[MeaningThemeRow]:
    """Recurring themes by meaning over (session id, analysis document) pairs, oldest first: clusters of the
    client's own utterances by base-MiniLM similarity (``analysis.theme_clusters``), labelled with their key words,
    numbered 1-based like :func:`theme_timeline`, each with the quotes it rests on."""
    from ..analysis.theme_clusters import meaning_themes  # the encoder loads only when trends are asked for

    number = {sid: n for n, (sid, _) in enumerate(docs, 1)}
    transcripts = [(sid, Transcript(tuple(utterance_from_dict(u) for u in doc.get("utterances", ())), ()))
                   for sid, doc in docs]
    rows: list[MeaningThemeRow] = []
    for tl in meaning_themes(transcripts):
        present = [e for e in tl.entries if e.marker]
        rows.append({
            "theme": tl.theme, "words": tl.theme.removeprefix("about: ").split(", "),
            "sessions": [number[e.session] for e in present],
            "status": "recurring" if tl.recurring else "once",
            "evidence": [{"session": number[e.session], "utterance": m.utterance_id, "quote": m.text}
                         for e in present for m in e.evidence[:MEANING_QUOTES]],
        })
    return rows


def measure_series(measures: Iterable[Mapping[str, Any]]) -> dict[str, MeasureSeries]:
    by: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for m in sorted(measures, key=lambda m: m["taken_on"]):
        by[m["instrument"]].append(m)
    out: dict[str, MeasureSeries] = {}
    for name, ms in by.items():
        series: list[MeasurePoint] = [{"taken_on": m["taken_on"], "total": m["total"], "band": m["band"],
                   "review": m.get("review")} for m in ms]
        out[name] = {"series": series, "change": change(name, ms[0]["total"], ms[-1]["total"]) if len(ms) > 1
                     else "one score so far", "max": instrument(name).items * 3}
    return out


def client_trends(points: Sequence[SessionPoint], measures: Sequence[Mapping[str, Any]],
                  docs: Sequence[tuple[str, Mapping[str, Any]]] = ()) -> ClientTrends:
    """``docs``: the (session id, analysis document) pairs behind ``points``, for the themes by meaning."""
    emotions = Counter(e for p in points for e in p["emotions"])
    return {"sessions": list(points), "themes": theme_timeline(points), "measures": measure_series(measures),
            "meaning_themes": meaning_timeline(docs) if docs else [],
            "client_emotions": [e for e, _ in emotions.most_common(5)]}


def _median(values: Iterable[Any]) -> float | None:
    vals = [v for v in values if isinstance(v, int | float)]
    return round(statistics.median(vals), 2) if vals else None


def baselines(points: Sequence[SessionPoint]) -> Baselines:
    def med(key: str) -> float | None:
        return _median(p.get(key) for p in points)
    return {"therapist_share": med("therapist_share"), "rq": med("rq"), "percent_open": med("percent_open"),
            "percent_complex": med("percent_complex"), "percent_change": med("percent_change"),
            "sessions": len(points)}


def weekly_load(points: Sequence[SessionPoint]) -> list[WeekLoad]:
    weeks: dict[str, Counter[str]] = defaultdict(Counter)
    for p in points:
        y, w, _ = date.fromisoformat(p["date"]).isocalendar()
        weeks[f"{y}-W{w:02d}"].update(sessions=1, heavy=int(p["heavy"]))
    return [{"week": k, "sessions": c["sessions"], "heavy": c["heavy"]} for k, c in sorted(weeks.items())]


def _client_prompts(client: str, points: Sequence[SessionPoint], measures: Sequence[Mapping[str, Any]]) -> list[str]:
    out, recent = [], list(points)[-3:]
    heavy = sum(p["heavy"] for p in recent)
    if heavy >= 2:
        out.append(f"Sessions with client {client} carried risk or trauma content in {heavy} of the last "
                   f"{len(recent)}. A consult or supervision conversation can share the weight of a case like this.")
    if sum(p["unrepaired"] > 0 for p in recent) >= 2:
        out.append(f"Strain with client {client} came up in several recent sessions. Supervision can be a good "
                   f"place to think about the relationship together.")
    phq = [m for m in measures if m["instrument"] == "PHQ-9"]
    if phq:
        last = max(phq, key=lambda m: m["taken_on"])
        if last.get("review") or last["band"] in ("moderately severe", "severe"):
            out.append(f"The latest PHQ-9 for client {client} ({last['total']}, {last['band']}) may be worth "
                       f"talking through with a colleague when planning next steps.")
    return out


def clinician_trends(points: Sequence[SessionPoint], measures_by_client: Mapping[str, Sequence[Mapping[str, Any]]],
                     ) -> ClinicianTrends:
    by_client: dict[str, list[SessionPoint]] = defaultdict(list)
    for p in sorted(points, key=lambda p: p["date"]):
        by_client[p["client"]].append(p)
    prompts = [s for c, ps in by_client.items() for s in _client_prompts(c, ps, measures_by_client.get(c, ()))]
    weeks = weekly_load(points)
    for w in weeks:
        if w["heavy"] >= 3:
            prompts.append(f"The week {w['week']} held {w['heavy']} sessions with risk or trauma content. Weeks like "
                           f"this are heavy for anyone; a check-in with a colleague, and with yourself, can help.")
    heavy: list[HeavySession] = [{"session": p["session"], "client": p["client"], "date": p["date"], "reasons": p["heavy_reasons"]}
             for p in points if p["heavy"]]
    return {"baselines": baselines(points), "weekly_load": weeks, "heavy_sessions": heavy,
            "prompts": [kind(p) for p in prompts]}
