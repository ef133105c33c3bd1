"""Moments the note names beyond the client's statements: the therapist's techniques, relational
events and safety questions. Used when the analyzers' findings for them are absent.

Each function returns ``Moment`` values with the utterance ids they rest on.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain import Role
from . import cues
from ..analysis.textcues import is_question
from .extract import View, topics_of


@dataclass(frozen=True, slots=True)
class Moment:
    kind: str
    ids: tuple[str, ...]
    data: dict  # type: ignore[type-arg]


def _t(v: View, i: int) -> str:
    return v.utts[i].text


def agenda(v: View) -> list[Moment]:
    early = [u.id for i, u in v.therapists() if i < len(v.utts) * 0.25 and cues.AGENDA.search(u.text)]
    return [Moment("agenda", tuple(early[:3]), {})] if early else []


def exploration(v: View) -> list[Moment]:
    """Open questions and reflective statements, and the topics they were about."""
    open_q, reflect, topics, examples, first = 0, 0, [], [], []
    for i, u in v.therapists():
        q = is_question(u.text) and bool(cues.OPEN_Q.search(u.text))
        r = not is_question(u.text) and bool(cues.REFLECT_START.search(u.text)) and len(u.text.split()) >= 4
        open_q, reflect = open_q + q, reflect + r
        if (q or r) and len(first) < 3:
            first.append(u.id)
        if q or r:
            for k in v.topics[i] or topics_of(v.utts[min(i + 1, len(v.utts) - 1)].text):
                if k not in topics:
                    topics.append(k)
                    examples.append(u.id)
    if open_q + reflect == 0:
        return []
    return [Moment("exploration", tuple(examples[:5] or first), {"open_questions": open_q, "reflections": reflect,
                                                        "topics": topics[:5]})]


def permission_information(v: View) -> list[Moment]:
    out = []
    for i, u in v.therapists():
        reply = v.next_client(i)
        if not cues.PERMISSION.search(u.text) or reply is None or not cues.AGREE.search(reply.text):
            continue
        j = v.index[reply.id] + 1
        if j < len(v.utts) and v.utts[j].role == Role.THERAPIST:
            info = v.utts[j]
            out.append(Moment("information", (u.id, reply.id, info.id), {"topics": list(topics_of(info.text))}))
    return out


def suggestions(v: View) -> list[Moment]:
    ids = [u.id for i, u in v.therapists() if cues.ADVICE.search(u.text)]
    if not ids:
        return []
    topic = v.topic_near(v.index[ids[0]])
    return [Moment("suggestions", tuple(ids[:4]), {"count": len(ids), "topic": topic})]


def scaling(v: View) -> list[Moment]:
    """Scaling questions; a follow-up within a few turns ("What would make it a seven?") joins the first."""
    out: list[Moment] = []
    for i, u in v.therapists():
        reply = v.next_client(i)
        if not (cues.SCALING.search(u.text) and is_question(u.text) and reply is not None):
            continue
        if out and i - v.index[out[-1].ids[-1]] <= 2:
            out[-1] = Moment("scaling", out[-1].ids + (u.id, reply.id), out[-1].data)
        else:
            out.append(Moment("scaling", (u.id, reply.id), {"question": u.text, "reply": reply.text}))
    return out[:2]


def affirmations(v: View) -> list[Moment]:
    ids = [u.id for _, u in v.therapists() if cues.AFFIRM.search(u.text)]
    return [Moment("affirmations", tuple(ids[:4]), {"count": len(ids)})] if ids else []


def immediacy(v: View) -> list[Moment]:
    out = []
    for i, u in v.therapists():
        reply = v.next_client(i)
        if is_question(u.text) and cues.IMMEDIACY.search(u.text) and reply is not None:
            out.append(Moment("here_and_now", (u.id, reply.id), {"question": u.text, "reply": reply.text}))
    return out


def yes_but(v: View) -> list[Moment]:
    """Two or more consecutive client replies opening with "yes, but" to the therapist's suggestions."""
    out, run = [], []  # type: ignore[var-annotated]
    for i, u in v.clients():
        if cues.YES_BUT.search(u.text):
            run.append(u.id)
            continue
        if len(run) >= 2:
            out.append(Moment("yes_but_chain", tuple(run), {"topic": v.topic_near(v.index[run[0]])}))
        run = []
    if len(run) >= 2:
        out.append(Moment("yes_but_chain", tuple(run), {"topic": v.topic_near(v.index[run[0]])}))
    return out


def rupture_repair(v: View) -> list[Moment]:
    out: list[Moment] = []
    covered = -1
    for i, u in v.clients():
        if not cues.RUPTURE.search(u.text) or i <= covered:
            continue
        repair = [x.id for x in v.utts[i + 1:i + 7] if x.role == Role.THERAPIST and cues.REPAIR.search(x.text)]
        out.append(Moment("rupture", (u.id,), {"words": u.text}))
        if repair:
            last = v.index[repair[-1]]
            close = v.next_client(last)
            ids = tuple(repair) + ((close.id,) if close is not None else ())
            covered = v.index[ids[-1]]
            out.append(Moment("repair", ids, {"first": v.utts[v.index[repair[0]]].text,
                                              "reply": close.text if close is not None else ""}))
    return out


def alliance(v: View) -> list[Moment]:
    ids = [u.id for _, u in v.clients() if cues.ALLIANCE.search(u.text)]
    return [Moment("alliance", tuple(ids[:3]), {})] if ids else []


def nonverbal(v: View) -> list[Moment]:
    out = []
    for _, u in v.clients():
        for m in cues.NONVERBAL.finditer(u.text):
            out.append(Moment("nonverbal", (u.id,), {"cue": m.group(1).lower()}))
    return out


def screening(v: View) -> list[Moment]:
    """Safety questions the therapist asked and how the client answered."""
    out = []
    for i, u in v.therapists():
        asked = [name for name, rx in cues.SCREEN.items() if rx.search(u.text)]
        reply = v.next_client(i)
        if not asked or not is_question(u.text) or reply is None:
            continue
        polarity = ("no" if cues.NEGATIVE_REPLY.search(reply.text) else
                    "yes" if cues.POSITIVE_REPLY.search(reply.text) else "unclear")
        out.append(Moment("screening", (u.id, reply.id), {"asked": asked, "polarity": polarity,
                                                          "reply": reply.text}))
    return out


def safety_agreement(v: View) -> list[Moment]:
    out = []
    for i, u in v.therapists():
        reply = v.next_client(i)
        if cues.SAFETY_AGREE.search(u.text) and reply is not None and cues.AGREE.search(reply.text):
            out.append(Moment("safety_agreement", (u.id, reply.id), {"proposal": u.text, "reply": reply.text}))
    return out


def closing_feeling(v: View) -> list[Moment]:
    late = [u for i, u in v.clients() if i >= len(v.utts) * 0.85 and cues.FEELING.search(u.text)]
    return [Moment("closing", (late[-1].id,), {"text": late[-1].text})] if late else []
