"""What the therapist did, named as a clinician would name it: agenda setting, open questions and
reflective listening, information shared with permission, direct suggestions, scaling questions,
affirmations, here-and-now invitations and direct safety questions (with how the client answered).

Each technique is a finding (kind ``technique``, label its clinical name; ``safety_screen`` for the
safety questions) whose evidence is the therapist's utterances (and the client's replies).
"""

from __future__ import annotations

from ..domain import Finding, Role, Transcript
from . import statement_cues as cues
from .textcues import is_question
from .view import View, statement, topics_of

SOURCE = "techniques-v1"


def _agenda(v: View) -> list[Finding]:
    early = [u.id for i, u in v.therapists() if i < len(v.utts) * 0.25 and cues.AGENDA.search(u.text)]
    return [statement(v, "technique", "agenda setting", early[:3], SOURCE,
                      "The therapist asked what to focus on early in the session.")] if early else []


def _exploration(v: View) -> list[Finding]:
    """Open questions and reflective statements, and the topics they were about."""
    open_q, reflect = 0, 0
    topics: list[str] = []
    examples: list[str] = []
    first: list[str] = []
    for i, u in v.therapists():
        q = is_question(u.text) and bool(cues.OPEN_Q.search(u.text))
        r = not is_question(u.text) and bool(cues.REFLECT_START.search(u.text)) and len(u.text.split()) >= 4
        open_q, reflect = open_q + q, reflect + r
        if (q or r) and len(first) < 3:
            first.append(u.id)
        if q or r:
            for k in v.topics_at(i) or topics_of(v.utts[min(i + 1, len(v.utts) - 1)].text):
                if k not in topics:
                    topics.append(k)
                    examples.append(u.id)
    if open_q + reflect == 0:
        return []
    label = ("open questions and reflective listening" if open_q and reflect else
             "open questions" if open_q else "reflective listening")
    return [statement(v, "technique", label, examples[:5] or first, SOURCE,
                      f"{open_q} open question(s) and {reflect} reflective statement(s).",
                      open_questions=open_q, reflections=reflect, topics=topics[:5])]


def _information(v: View) -> list[Finding]:
    out = []
    for i, u in v.therapists():
        reply = v.next_client(i)
        if not cues.PERMISSION.search(u.text) or reply is None or not cues.AGREE.search(reply.text):
            continue
        j = v.index[reply.id] + 1
        if j < len(v.utts) and v.utts[j].role == Role.THERAPIST:
            info = v.utts[j]
            out.append(statement(v, "technique", "information shared with permission", (u.id, reply.id, info.id),
                                 SOURCE, "The therapist asked permission, the client agreed, then information.",
                                 topics=list(topics_of(info.text))))
    return out


def _suggestions(v: View) -> list[Finding]:
    ids = [u.id for i, u in v.therapists() if cues.ADVICE.search(u.text)]
    if not ids:
        return []
    return [statement(v, "technique", "direct suggestions", ids[:4], SOURCE, f"{len(ids)} direct suggestion(s).",
                      count=len(ids), topic=v.topic_near(v.index[ids[0]]))]


def _scaling(v: View) -> list[Finding]:
    """Scaling questions; a follow-up within a few turns ("What would make it a seven?") joins the first."""
    runs: list[list[str]] = []
    replies: list[str] = []
    for i, u in v.therapists():
        reply = v.next_client(i)
        if not (cues.SCALING.search(u.text) and is_question(u.text) and reply is not None):
            continue
        if runs and i - v.index[runs[-1][-1]] <= 2:
            runs[-1] += [u.id, reply.id]
        else:
            runs.append([u.id, reply.id])
            replies.append(reply.text)
    return [statement(v, "technique", "scaling question", ids, SOURCE, "A scaling question and the client's answer.",
                      reply=r) for ids, r in list(zip(runs, replies))[:2]]


def _affirmations(v: View) -> list[Finding]:
    ids = [u.id for _, u in v.therapists() if cues.AFFIRM.search(u.text)]
    return [statement(v, "technique", "affirmation", ids[:4], SOURCE, f"{len(ids)} affirmation(s).",
                      count=len(ids))] if ids else []


def _immediacy(v: View) -> list[Finding]:
    for i, u in v.therapists():
        reply = v.next_client(i)
        if is_question(u.text) and cues.IMMEDIACY.search(u.text) and reply is not None:
            return [statement(v, "technique", "here-and-now invitation", (u.id, reply.id), SOURCE,
                              "The therapist asked about the session or the relationship in the moment.",
                              question=u.text, reply=reply.text)]
    return []


def _screening(v: View) -> list[Finding]:
    """Safety questions the therapist asked and how the client answered."""
    out = []
    for i, u in v.therapists():
        asked = [name for name, rx in cues.SCREEN.items() if rx.search(u.text)]
        reply = v.next_client(i)
        if not asked or not is_question(u.text) or reply is None:
            continue
        polarity = ("no" if cues.NEGATIVE_REPLY.search(reply.text) else
                    "yes" if cues.POSITIVE_REPLY.search(reply.text) else "unclear")
        out.append(statement(v, "safety_screen", " and ".join(asked), (u.id, reply.id), SOURCE,
                             f"The therapist asked about {' and '.join(asked)}; the client's answer: {polarity}.",
                             asked=asked, polarity=polarity, reply=reply.text))
    return out


def technique_findings(t: Transcript) -> list[Finding]:
    v = View(t)
    return (_agenda(v) + _exploration(v) + _information(v) + _suggestions(v) + _scaling(v) + _affirmations(v)
            + _immediacy(v) + _screening(v))
