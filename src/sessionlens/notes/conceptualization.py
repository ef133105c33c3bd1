"""A case-conceptualization scaffold across a client's sessions: the 5 Ps (presenting, predisposing,
precipitating, perpetuating, protective) or the CBT cross-section (situations, thoughts, emotions,
behaviours).

Every item is a *hypothesis* with its evidence (session id + utterance ids), proposed for the
clinician to accept or reject; nothing here is a formulation until the clinician says so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..analysis.result import SessionAnalysis
from ..errors import InputError
from ..analysis import statement_cues as cues
from ..analysis.statements import find_concerns
from ..analysis.textcues import is_question
from ..analysis.view import View
from .text import quote, sentences

PROPOSED, ACCEPTED, REJECTED = "proposed", "accepted", "rejected"

_R = cues.rx
CATEGORY_CUES = {
    "predisposing": _R(r"since i was (?:a kid|young|little|\d+)", r"growing up", r"as a (?:kid|child|teenager)",
                       r"when i was (?:young|a kid|little|a child|\d+)", r"i've always", r"always been",
                       r"i'm twelve again", r"my (?:mom|mum|dad|mother|father|parents) (?:always|never|used to)",
                       r"in my family", r"runs in (?:the|my) family"),
    "precipitating": _R(r"(?:more|worse|started|began|ever) since", r"since (?:the|he|she|my|last|march|april|may|"
                        r"june|july|january|february|august|september|october|november|december)\b",
                        r"after (?:he|she|the|my) ", r"started when", r"died", r"passed away", r"got promoted",
                        r"laid off", r"divorce", r"broke up", r"moved (?:here|out|away)"),
    "perpetuating": _R(r"every (?:night|day|evening)", r"most nights", r"i keep\b", r"keeps? (?:\w+ing)",
                       r"always end up", r"i just don't", r"don't pick up", r"only thing that helps",
                       r"it's faster to just", r"i can't bring myself", r"no off switch", r"yeah,? but"),
    "protective": _R(r"in (?:my|your) corner", r"she's great", r"he's great", r"helps me", r"i used to (?:love|run)",
                     r"couldn't do that to", r"i want things to get better", r"easier here", r"always has been",
                     r"supportive", r"i'm good at", r"proud of", r"clear head", r"sleep better"),
    "situations": _R(r"when i (?:get|go|come|talk|call|see|have|am)", r"at work", r"on the phone", r"in meetings",
                     r"at night", r"sunday evenings?", r"weekends?", r"every call"),
    "thoughts": _R(r"i think i'm", r"like i'm", r"i'm (?:not )?(?:enough|failing|behind|a failure|useless)",
                   r"waiting for somebody to notice", r"what(?:'s| is)? the point", r"i should", r"being graded",
                   r"i wonder", r"doesn't feel like", r"i'll never", r"nobody"),
    "emotions": cues.FEELING,
    "behaviours": _R(r"i (?:drink|pour|open the laptop|snapped|stay up|avoid|lie there|don't pick up|call her back|"
                     r"work at night|end up doing)", r"i'll stop, pour", r"i go to bed", r"i get home"),
}
MODELS = {
    "5p": ("5 Ps", ("presenting", "predisposing", "precipitating", "perpetuating", "protective")),
    "cbt": ("CBT cross-section", ("situations", "thoughts", "emotions", "behaviours")),
}


@dataclass(frozen=True, slots=True)
class Hypothesis:
    id: str
    category: str
    text: str
    evidence: tuple[tuple[str, str], ...]  # (session id, utterance id)
    status: str = PROPOSED
    comment: str = ""


@dataclass(frozen=True, slots=True)
class Formulation:
    model: str
    title: str
    categories: tuple[str, ...]
    items: tuple[Hypothesis, ...]


def _hid(category: str, evidence: Sequence[tuple[str, str]]) -> str:
    return "h" + hashlib.sha256(repr((category, tuple(evidence))).encode()).hexdigest()[:8]


def _presenting(sessions: Sequence[tuple[str, SessionAnalysis]]) -> list[Hypothesis]:
    seen: dict[str, list[tuple[str, str]]] = {}
    labels: dict[str, str] = {}
    for sid, a in sessions:
        for c in find_concerns(View(a.transcript)):
            seen.setdefault(c.topic, []).append((sid, c.best_id))
            labels[c.topic] = c.label
    out = []
    for topic, ev in sorted(seen.items(), key=lambda kv: -len(kv[1])):
        n = len(sessions)
        text = f"Presenting concern: {labels[topic]} (raised as a difficulty in {len(ev)} of {n} session(s))."
        out.append(Hypothesis(_hid("presenting", ev), "presenting", text, tuple(ev)))
    return out


def _by_cue(category: str, sessions: Sequence[tuple[str, SessionAnalysis]], limit: int = 6) -> list[Hypothesis]:
    rx, out = CATEGORY_CUES[category], []
    for sid, a in sessions:
        for _, u in View(a.transcript).clients():
            hit = next((s for s in sentences(u.text) if rx.search(s) and not is_question(s)
                        and not (category == "protective" and cues.YES_BUT.search(s))), None)
            if hit and len(hit.split()) >= 3:
                ev = ((sid, u.id),)
                out.append(Hypothesis(_hid(category, ev), category, f"Client said {quote(hit, 30)}", ev))
    return out[:limit]


def conceptualize(sessions: Sequence[tuple[str, SessionAnalysis]], model: str = "5p") -> Formulation:
    """Hypotheses across ``sessions`` (session id, analysis), oldest first."""
    if model not in MODELS:
        raise InputError(f"unknown conceptualization model {model!r}; choose one of: {', '.join(MODELS)}")
    if not sessions:
        raise InputError("a conceptualization needs at least one session")
    title, categories = MODELS[model]
    items: list[Hypothesis] = []
    for cat in categories:
        items += _presenting(sessions) if cat == "presenting" else _by_cue(cat, sessions)
    return Formulation(model, title, categories, tuple(items))


def decide(f: Formulation, item_id: str, status: str, comment: str = "") -> Formulation:
    """The clinician accepts or rejects a hypothesis (or sets it back to proposed)."""
    if status not in (PROPOSED, ACCEPTED, REJECTED):
        raise InputError("a hypothesis is proposed, accepted or rejected")
    if all(h.id != item_id for h in f.items):
        raise InputError(f"no hypothesis {item_id}")
    items = tuple(replace(h, status=status, comment=comment) if h.id == item_id else h for h in f.items)
    return replace(f, items=items)


def formulation_to_dict(f: Formulation) -> dict[str, object]:
    return {"model": f.model, "title": f.title, "note": "Hypotheses for the clinician to accept or reject.",
            "categories": [{"name": c, "items": [
                {"id": h.id, "text": h.text, "status": h.status, "comment": h.comment,
                 "evidence": [{"session": s, "utterance": u} for s, u in h.evidence]}
                for h in f.items if h.category == c]} for c in f.categories]}


def render_markdown(f: Formulation) -> str:
    lines = [f"# Case conceptualization scaffold ({f.title})", "",
             "_Hypotheses drawn from the sessions, for the clinician to accept or reject._", ""]
    for c in f.categories:
        lines += [f"## {c.capitalize()}", ""]
        items = [h for h in f.items if h.category == c] or None
        for h in items or []:
            refs = ", ".join(f"{s}#{u}" for s, u in h.evidence)
            lines.append(f"- [{h.status}] {h.text} ({refs}) `{h.id}`")
        if items is None:
            lines.append("- Nothing found in these sessions.")
        lines.append("")
    return "\n".join(lines)
