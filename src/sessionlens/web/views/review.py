"""The review page's view model from a stored analysis document (pure)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from ...payloads.services_session_meta import SessionHeader
from ..format import clock, percent
from . import charts, codes, moments


def _lines(doc: dict[str, Any]) -> list[SimpleNamespace]:
    # Namespaces, not dicts: Jinja resolves ``l.id`` by attribute first, and ~600 lines make that count.
    names = {s["id"]: s["name"] for s in doc.get("speakers", [])}
    return [SimpleNamespace(**{"id": u["id"], "speaker": u["speaker"], "name": names.get(u["speaker"], u["speaker"]),
             "role": u.get("role", "other"), "start": u.get("start"), "end": u.get("end"),
             "clock": clock(u.get("start")), "text": u.get("text", ""), "code": codes.code_of(u)})
            for u in doc.get("utterances", [])]


def _talk(doc: dict[str, Any]) -> list[dict[str, Any]]:
    talk = doc.get("metrics", {}).get("talk_time", {})
    return [{"role": role, "seconds": clock(v.get("seconds")), "share": percent(v.get("share")),
             "share_value": v.get("share") or 0.0, "wpm": v.get("words_per_minute"), "turns": v.get("turns"),
             "longest": clock(v.get("longest_turn_seconds")),
             "longest_uid": (v.get("longest_turn_utterance_ids") or [None])[0]}
            for role, v in talk.items()]


def _silences(doc: dict[str, Any]) -> dict[str, Any]:
    items = [{"start": s["start"], "clock": clock(s["start"]), "seconds": f"{s['duration']:.1f}",
              "uid": s.get("after_utterance"), "after": s.get("before_role"), "broken_by": s.get("after_role")}
             for s in doc.get("silences", [])]
    return {"summary": doc.get("metrics", {}).get("silence_summary", {}), "items": items}


def review(doc: dict[str, Any], info: SessionHeader) -> dict[str, Any]:
    lines = _lines(doc)
    return {
        "info": info,
        "duration": clock(doc.get("metrics", {}).get("duration_seconds")),
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
        "themes": doc.get("metrics", {}).get("themes", {}).get("themes", []),
        "unavailable": doc.get("metrics", {}).get("unavailable", {}),
        "corrections": len(info.get("corrections", [])),
    }
