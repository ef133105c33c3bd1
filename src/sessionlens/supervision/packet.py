"""Building a packet from stored analysis documents (pure: no vault). One replacer serves the whole
packet, so a person or place keeps the same placeholder across sessions and questions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..deid import NOTICE, replacer_for
from ..deid.spans import find_spans_many
from ..domain import Role, Speaker
from ..errors import InputError
from ..payloads.supervision_packet import MeasureValue, PacketLine, PacketSession, RelativeMeasure, SupervisionPacket
from ..reflection.language import kind
from ..reflection.markers import session_markers

MAX_QUESTIONS, MAX_QUESTION = 20, 2000
CODE_LABEL = {"question": "question", "reflection": "reflection", "therapist_input": "input", "other": ""}


@dataclass(frozen=True)
class Selection:
    session_id: str
    doc: Mapping[str, Any]
    excerpt: tuple[str, str] | None = None  # first and last utterance id; None: the whole session


def parse_excerpt(text: str) -> tuple[str, str]:
    """"u10-u25" (or a single "u10") -> ("u10", "u25")."""
    first, _, last = text.strip().partition("-")
    if not first.strip():
        raise InputError("an excerpt is FIRST-LAST utterance ids, e.g. u10-u25")
    return first.strip(), (last or first).strip()


def _lines(sel: Selection) -> list[Mapping[str, Any]]:
    utts = list(sel.doc.get("utterances", []))
    if sel.excerpt is None:
        return utts
    ids = [u["id"] for u in utts]
    first, last = sel.excerpt
    if first not in ids or last not in ids or ids.index(first) > ids.index(last):
        raise InputError(f"excerpt {first}-{last} is not a range of utterances of session {sel.session_id}")
    return utts[ids.index(first): ids.index(last) + 1]


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _code(u: Mapping[str, Any]) -> str:
    c = u.get("codes") or {}
    if u.get("role") == "client":
        return c.get("client_talk") or ""
    label = CODE_LABEL.get(c.get("therapist_behaviour") or "", "")
    subs = c.get("therapist_subcodes") or []
    return f"{' '.join(subs)} {label}".replace("_", " ").strip() if label else ""


def session_measures(doc: Mapping[str, Any]) -> dict[str, MeasureValue]:
    m = doc.get("metrics", {})
    iv = m.get("interventions") or {}
    ct = m.get("client_talk") or {}
    share = (m.get("talk_time", {}).get("therapist") or {}).get("share")
    return {"therapist talk share": None if share is None else f"{round(100 * share)}%",
            "reflection-to-question ratio": iv.get("reflection_to_question_ratio"),
            "open questions": None if (iv.get("questions") or {}).get("percent_open") is None
            else f"{iv['questions']['percent_open']}%",
            "complex reflections": None if (iv.get("reflections") or {}).get("percent_complex") is None
            else f"{iv['reflections']['percent_complex']}%",
            "change / sustain talk": None if not ct.get("counts") else
            f"{ct['counts'].get('change', 0)} / {ct['counts'].get('sustain', 0)}",
            "risk language": (m.get("risk") or {}).get("status"),
            "minutes": None if m.get("duration_seconds") is None else round(m["duration_seconds"] / 60)}


def _speakers(docs: Iterable[Mapping[str, Any]]) -> list[Speaker]:
    seen: dict[str, Speaker] = {}
    for d in docs:
        for s in d.get("speakers", []):
            role = Role(s.get("role", "other")) if s.get("role") in {r.value for r in Role} else Role.OTHER
            seen.setdefault(s["id"], Speaker(s["id"], s.get("name") or s["id"], role))
    return list(seen.values())


def _relative_measures(measures: Sequence[Mapping[str, Any]]) -> list[RelativeMeasure]:
    """Scores with weeks since the first one instead of dates (dates identify)."""
    if not measures:
        return []
    ordered = sorted(measures, key=lambda m: m["taken_on"])
    start = date.fromisoformat(ordered[0]["taken_on"])
    return [{"instrument": m["instrument"], "week": (date.fromisoformat(m["taken_on"]) - start).days // 7,
             "total": m["total"], "band": m["band"]} for m in ordered]


def _questions(questions: Sequence[str]) -> list[str]:
    qs = [q.strip() for q in questions if q.strip()]
    if len(qs) > MAX_QUESTIONS or any(len(q) > MAX_QUESTION for q in qs):
        raise InputError(f"at most {MAX_QUESTIONS} questions of {MAX_QUESTION} characters each")
    return qs


def build_packet(selections: Sequence[Selection], *, questions: Sequence[str], measures: Sequence[Mapping[str, Any]],
                 known_names: Sequence[str] = ()) -> SupervisionPacket:
    """The packet as a dict (JSON-ready), every text de-identified with consistent placeholders."""
    if not selections:
        raise InputError("choose at least one session or excerpt for the packet")
    qs = _questions(questions)
    speakers = _speakers(s.doc for s in selections)
    labels = {sp.id: label for sp, label in zip(speakers, _labels(speakers), strict=True)}
    replacer = replacer_for(speakers, known_names)
    chosen = [(sel, _lines(sel)) for sel in selections]
    texts = [u.get("text", "") for _, lines in chosen for u in lines] + qs
    known = [*(n for sp in speakers for n in (sp.id, sp.name)), *known_names]
    spans = iter(find_spans_many(texts, known))
    sessions: list[PacketSession] = []
    for n, (sel, lines) in enumerate(chosen, 1):
        rows: list[PacketLine] = [{"id": u["id"], "who": labels.get(u.get("speaker") or "", "Speaker"), "time": _clock(u.get("start")),
                 "text": replacer.apply(u.get("text", ""), next(spans)), "code": _code(u)} for u in lines]
        scope = "whole session" if sel.excerpt is None else f"excerpt {sel.excerpt[0]}-{sel.excerpt[1]}"
        sessions.append({"label": f"Session {n}", "session": sel.session_id, "scope": scope,
                         "measures": session_measures(sel.doc),
                         "markers": [m["sentence"] for m in session_markers(sel.doc)], "lines": rows})
    return {"title": "Supervision packet", "notice": NOTICE, "status": "draft",
            "questions": [replacer.apply(q, next(spans)) for q in qs], "sessions": sessions,
            "symptom_measures": _relative_measures(measures), "replaced": dict(replacer.replaced),
            "about": kind("Session data describes what happened in the room; it is not a rating of anyone.")}


def _labels(speakers: Sequence[Speaker]) -> list[str]:
    from ..deid.transcript import speaker_labels

    labels = speaker_labels(speakers)
    return [labels[s.id] for s in speakers]


def as_text(packet: Mapping[str, Any]) -> str:
    """A plain-text rendering for review at a terminal (line numbers for edits)."""
    out = [packet["title"], "", f"NOTE: {packet['notice']}", "", f"Status: {packet['status']}", ""]
    if packet["questions"]:
        out += ["Questions for supervision:", *[f"  {n}. {q}" for n, q in enumerate(packet["questions"], 1)], ""]
    for si, s in enumerate(packet["sessions"], 1):
        out += [f"== {s['label']} ({s['scope']})",
                "   " + "; ".join(f"{k}: {v}" for k, v in s["measures"].items() if v is not None),
                *[f"   - {m}" for m in s["markers"]], ""]
        out += [f"  [{si}.{n}] {r['time']} {r['who']}: {r['text']}" + (f"  ({r['code']})" if r["code"] else "")
                for n, r in enumerate(s["lines"], 1)]
        out.append("")
    if packet["symptom_measures"]:
        out += ["Symptom measures (weeks since the first):",
                *[f"  {m['instrument']} week {m['week']}: {m['total']} ({m['band']})" for m in packet["symptom_measures"]]]
    return "\n".join(out) + "\n"


def edit_line(packet: SupervisionPacket, ref: str, text: str | None) -> SupervisionPacket:
    """Replace (or, with ``text=None``, remove) line "S.N" of the packet; it returns to draft."""
    try:
        si, n = (int(x) for x in ref.split("."))
        lines = packet["sessions"][si - 1]["lines"]
        if n < 1 or si < 1:
            raise IndexError
        if text is None:
            lines.pop(n - 1)
        else:
            if not text.strip() or len(text) > 10_000:
                raise InputError("a line needs 1 to 10000 characters")
            lines[n - 1]["text"] = text.strip()
    except (ValueError, IndexError):
        raise InputError("a line is named SESSION.LINE as shown in the review, e.g. 1.12") from None
    packet["status"] = "draft"
    return packet
