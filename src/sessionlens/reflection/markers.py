"""Relationship-centred markers of a session, read from its stored analysis: ruptures followed by
repair, topics the client brought, change talk, statements of autonomy, reflections the client
confirmed, and a safe ending. Each marker carries the utterance ids it rests on."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..payloads.reflection_markers import Marker
from .language import kind

AUTONOMY = re.compile(r"(?i)\b(?:I(?:'ve| have)? decided|my (?:choice|decision|call)|up to me|I(?:'m| am) going to|"
                      r"I(?:'ll| will) (?:try|do|start|call|tell|decide)|I want to|I choose|I get to decide|"
                      r"on my own terms|I can decide)\b")
CONFIRM = re.compile(r"(?i)^\W*(?:yes|yeah|yep|exactly|right|that's (?:it|right|exactly it)|absolutely|totally|"
                     r"100 percent|mm-?hm+)\b(?![,.]?\s*but\b)")
CLOSING = re.compile(r"(?i)\b(?:next (?:week|time|session)|see you|before we (?:finish|stop|end)|to sum up|"
                     r"summar|plan for|take away|take with you|between now and|what will you|our time|"
                     r"we(?:'re| are) (?:almost|nearly) (?:out of time|done))\b")
MAX_EVIDENCE = 8


def _utts(doc: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return list(doc.get("utterances", []))


def _role_code(u: Mapping[str, Any], key: str) -> Any:
    return (u.get("codes") or {}).get(key)


def _marker(key: str, label: str, value: int | str, present: bool, sentence: str, ids: Sequence[str]) -> Marker:
    return {"key": key, "label": label, "value": value, "present": present, "sentence": kind(sentence),
            "evidence": list(ids)[:MAX_EVIDENCE]}


def ruptures_repaired(doc: Mapping[str, Any]) -> Marker:
    rel = (doc.get("metrics") or {}).get("relational") or {}
    ruptures = (rel.get("counts") or {}).get("rupture", 0)
    repaired = rel.get("ruptures_followed_by_repair", 0)
    ids = [i for m in rel.get("moments", []) if m.get("kind") in ("rupture", "repair") for i in m["utterance_ids"]]
    if not ruptures:
        return _marker("repair", "Ruptures followed by repair", "0 of 0", False,
                       "No strain between you was detected in the words of this session.", ids)
    return _marker("repair", "Ruptures followed by repair", f"{repaired} of {ruptures}", repaired > 0,
                   f"{repaired} of {ruptures} moments of strain were followed by a repair attempt.", ids)


def client_topics(doc: Mapping[str, Any]) -> Marker:
    rel = (doc.get("metrics") or {}).get("relational") or {}
    topics = list(rel.get("client_initiated_topics", []))
    ids = [i for f in doc.get("findings", []) if f.get("kind") == "client_initiated_topic"
           for e in f.get("evidence", []) for i in e.get("utterance_ids", [])]
    text = f"The client brought up {len(topics)} topic(s) themselves: {', '.join(topics)}." if topics else \
        "No topic the client opened themselves was detected."
    return _marker("client_topics", "Topics the client brought", len(topics), bool(topics), text, ids)


def change_talk(doc: Mapping[str, Any]) -> Marker:
    ct = (doc.get("metrics") or {}).get("client_talk") or {}
    counts = ct.get("counts") or {}
    ids = [u["id"] for u in _utts(doc) if _role_code(u, "client_talk") == "change"]
    n = counts.get("change", len(ids))
    pct = ct.get("percent_change_of_change_and_sustain")
    extra = f" ({pct}% of the change and sustain talk)" if pct is not None else ""
    return _marker("change_talk", "Client change talk", n, n > 0,
                   f"The client voiced change {n} time(s){extra}.", ids)


def autonomy(doc: Mapping[str, Any]) -> Marker:
    ids = [u["id"] for u in _utts(doc) if u.get("role") == "client" and AUTONOMY.search(u.get("text", ""))]
    return _marker("autonomy", "Client statements of autonomy", len(ids), bool(ids),
                   f"The client spoke of their own choices or intentions {len(ids)} time(s).", ids)


def confirmed_reflections(doc: Mapping[str, Any]) -> Marker:
    utts, ids = _utts(doc), []
    for prev, nxt in itertools.pairwise(utts):
        if prev.get("role") == "therapist" and _role_code(prev, "therapist_behaviour") == "reflection" \
                and nxt.get("role") == "client" and CONFIRM.search(nxt.get("text", "")):
            ids += [prev["id"], nxt["id"]]
    n = len(ids) // 2
    return _marker("confirmed", "Reflections the client confirmed", n, n > 0,
                   f"{n} reflection(s) were met with a confirming reply such as \"yes, exactly\".", ids)


def safe_ending(doc: Mapping[str, Any]) -> Marker:
    utts = _utts(doc)
    tail = utts[-max(6, len(utts) // 10):] if utts else []
    tail_ids = {u["id"] for u in tail}
    closing = [u["id"] for u in tail if u.get("role") == "therapist" and CLOSING.search(u.get("text", ""))]
    rel = (doc.get("metrics") or {}).get("relational") or {}
    strain = any(m.get("kind") == "rupture" and set(m["utterance_ids"]) & tail_ids for m in rel.get("moments", []))
    risk_late = any(f.get("kind") == "risk" and any(set(e.get("utterance_ids", [])) & tail_ids
                                                    for e in f.get("evidence", [])) for f in doc.get("findings", []))
    present = bool(closing) and not strain and not risk_late
    if present:
        text = "The session closed with a summary, plan or look ahead, and no strain or risk language at the end."
    elif risk_late:
        text = "Risk language came up near the end of the session; it may be worth checking in early next time."
    elif strain:
        text = "A moment of strain came close to the end; the next session may be a chance to return to it."
    else:
        text = "No closing summary or plan was detected in the last part of the session."
    return _marker("safe_ending", "A safe ending", "yes" if present else "not detected", present, text, closing)


def session_markers(doc: Mapping[str, Any]) -> list[Marker]:
    return [f(doc) for f in (ruptures_repaired, client_topics, change_talk, autonomy, confirmed_reflections,
                             safe_ending)]
