"""The review page's view model from a stored analysis document (pure)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

from ...payloads.analysis_sections import ThemesMetrics
from ...payloads.document import AnalysisDocument
from ...payloads.services_session_meta import SessionHeader
from ...payloads.web_review import ReviewView, SilenceRow, SilencesView, TalkRow
from ..format import clock, percent
from . import charts, codes, moments
from .analysis_doc import metrics_of, section


def _lines(doc: AnalysisDocument) -> list[SimpleNamespace]:
    # Namespaces, not dicts: Jinja resolves ``l.id`` by attribute first, and ~600 lines make that count.
    names = {s["id"]: s["name"] for s in doc.get("speakers", [])}
    return [SimpleNamespace(**{"id": u["id"], "speaker": u["speaker"], "name": names.get(u["speaker"], u["speaker"]),
             "role": u.get("role", "other"), "start": u.get("start"), "end": u.get("end"),
             "clock": clock(u.get("start")), "text": u.get("text", ""), "code": codes.code_of(u)})
            for u in doc.get("utterances", [])]


def _talk(doc: AnalysisDocument) -> list[TalkRow]:
    talk = metrics_of(doc).get("talk_time", {})
    return [{"role": role, "seconds": clock(v.get("seconds")), "share": percent(v.get("share")),
             "share_value": v.get("share") or 0.0, "wpm": v.get("words_per_minute"), "turns": v.get("turns"),
             "longest": clock(v.get("longest_turn_seconds")),
             "longest_uid": next(iter(v.get("longest_turn_utterance_ids") or []), None)}
            for role, v in talk.items()]


def _silences(doc: AnalysisDocument) -> SilencesView:
    items: list[SilenceRow] = [{"start": s["start"], "clock": clock(s["start"]), "seconds": f"{s['duration']:.1f}",
                                "uid": s.get("after_utterance"), "after": s.get("before_role"),
                                "broken_by": s.get("after_role")} for s in doc.get("silences", [])]
    return {"summary": metrics_of(doc).get("silence_summary", {}), "items": items}


def review(doc: AnalysisDocument, info: SessionHeader) -> ReviewView:
    lines = _lines(doc)
    return {
        "info": info,
        "duration": clock(metrics_of(doc).get("duration_seconds")),
        "caveats": doc.get("caveats", []),
        "speakers": doc.get("speakers", []),
        "lines": lines,
        "talk": _talk(doc),
        "silences": _silences(doc),
        "map": charts.session_map(doc),
        "windows": charts.share_windows(doc),
        "arc": charts.emotion_arc(doc),
        "interventions": codes.interventions(doc),
        "client_talk": codes.client_talk(doc),
        "groups": moments.grouped(doc.get("findings", [])),
        "themes": cast(ThemesMetrics, section(doc, "themes")).get("themes", []),
        "unavailable": metrics_of(doc).get("unavailable", {}),
        "corrections": len(info.get("corrections", [])),
    }
