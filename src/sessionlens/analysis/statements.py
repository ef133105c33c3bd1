"""What the client brought and how they were: concerns by topic, mood in their words, moments of
insight, how they experienced the session, nonverbal cues and how they felt at the close.

Each is a finding whose evidence is the client's utterances and whose data keeps the sentence a note
would paraphrase, so notes write from findings without reading the transcript again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..domain import Finding, Transcript
from . import statement_cues as cues
from .sentences import sentences
from .textcues import is_question
from .view import View, statement

SOURCE = "client-statements-v1"

HOW_ARE_YOU = cues.rx(r"how are you", r"how have you been", r"how's your week", r"how was your week",
                      r"how are things", r"how do you feel", r"how are you feeling")


@dataclass(frozen=True, slots=True)
class Concern:
    topic: str
    label: str
    ids: tuple[str, ...]  # every client utterance on the topic, in order
    best_id: str
    best: str  # the client's most telling sentence on it


def _problem_score(sentence: str, topic_rx: re.Pattern[str]) -> float:
    n = len(sentence.split())
    if n < 4 or is_question(sentence) or not topic_rx.search(sentence):
        return -1.0
    return (2.0 * len(cues.PROBLEM.findall(sentence)) + 1.5
            + 0.5 * bool(cues.FEELING.search(sentence)) - 0.05 * max(0, n - 30))


def find_concerns(v: View, limit: int = 6) -> list[Concern]:
    """Topics the client spoke of as a difficulty, most weighty first (at most ``limit``), in order of
    first mention; each with the client's most telling sentence on it."""
    out: list[tuple[float, Concern]] = []
    for key, (label, topic_rx) in cues.TOPICS.items():
        ids = [u.id for i, u in v.clients() if key in v.topics_at(i)]
        if not ids:
            continue
        scored = [(_problem_score(s, topic_rx), u.id, s) for i, u in v.clients() if key in v.topics_at(i)
                  for s in sentences(u.text)]
        score, best_id, best = max(scored, key=lambda x: (x[0], -v.index[x[1]]))
        if score < 3.5:  # mentioned, but never as a difficulty
            continue
        weight = sum(x[0] for x in scored if x[0] > 1.5)
        out.append((weight, Concern(key, label, tuple(ids), best_id, best)))
    out.sort(key=lambda wc: -wc[0])
    kept: list[Concern] = []
    for _, c in out:
        if len(kept) < limit and all(k.best != c.best for k in kept):  # one sentence, one concern
            kept.append(c)
    return sorted(kept, key=lambda c: v.index[c.ids[0]])


def client_mood(v: View, skip: set[str], limit: int = 3) -> list[tuple[str, str]]:
    """(utterance id, the client's words) on how they are: answers to "how are you", feeling statements."""
    out: list[tuple[str, str]] = []
    for i, u in v.clients():
        if u.id in skip:
            continue
        p = v.prev_therapist(i)
        if p is not None and HOW_ARE_YOU.search(p.text):
            out.append((u.id, " ".join(sentences(u.text)[:2])))
            continue
        for s in sentences(u.text):
            if cues.FEELING.search(s) and len(s.split()) <= 25 and not is_question(s):
                out.append((u.id, s))
                break
    return out[:limit]


def _insight(v: View) -> list[Finding]:
    out = []
    for i, u in v.clients():
        if any(cues.INSIGHT.search(s) and not is_question(s) for s in sentences(u.text)):
            p = v.prev_therapist(i)
            out.append(statement(v, "insight", "insight", (u.id,), SOURCE, "The client named a new understanding.",
                                 words=" ".join(sentences(u.text)[:3]),
                                 prompt=p.text if p is not None and is_question(p.text) else ""))
    return out


def _alliance(v: View) -> list[Finding]:
    ids = [u.id for _, u in v.clients() if cues.ALLIANCE.search(u.text)][:3]
    return [statement(v, "alliance", "the session experienced as helpful", ids, SOURCE,
                      "The client described their experience of the session.")] if ids else []


def _nonverbal(v: View) -> list[Finding]:
    return [statement(v, "nonverbal", m.group(1).lower(), (u.id,), SOURCE, "A nonverbal cue in the transcript.")
            for _, u in v.clients() for m in cues.NONVERBAL.finditer(u.text)]


def _closing(v: View) -> list[Finding]:
    late = [u for i, u in v.clients() if i >= len(v.utts) * 0.85 and cues.FEELING.search(u.text)]
    return [statement(v, "closing_feeling", "feeling at the close", (late[-1].id,), SOURCE,
                      "How the client said they felt near the end.", words=late[-1].text)] if late else []


LINK = cues.rx(r"(?:more|worse|better|less|started|began|ever) since", r"since the\b", r"because", r"that's why",
               r"makes me", r"after (?:the|my|he|she|that)\b")


def _links(v: View, limit: int = 3) -> list[Finding]:
    """Client statements that connect two topics causally ("It's been more since the promotion")."""
    out = []
    for _, u in v.clients():
        sents = sentences(u.text)
        for k, s in enumerate(sents):
            span = " ".join(sents[max(0, k - 1):k + 1])
            ks = [t for t, (_, rx) in cues.TOPICS.items() if rx.search(span)] if LINK.search(s) else []
            if len(ks) >= 2:
                out.append(statement(v, "topic_link", " and ".join(cues.TOPICS[t][0] for t in ks[:3]), (u.id,),
                                     SOURCE, "The client connected two topics.", topics=ks[:3], words=span))
                break
    return out[:limit]


def statement_findings(t: Transcript, plan_ids: set[str]) -> list[Finding]:
    """Concerns, mood, insight, alliance, nonverbal, closing and topic-link findings (mood skips plan utterances)."""
    v = View(t)
    out = [statement(v, "concern", c.label, c.ids, SOURCE, f"The client spoke of {c.label} as a difficulty.",
                     0.6, topic=c.topic, best_id=c.best_id, best=c.best) for c in find_concerns(v)]
    out += [statement(v, "mood", "mood", (uid,), SOURCE, "The client said how they are.", words=words)
            for uid, words in client_mood(v, plan_ids)]
    return out + _insight(v) + _alliance(v) + _nonverbal(v) + _closing(v) + _links(v)
