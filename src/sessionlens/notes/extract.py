"""The client's own statements that a progress note is built from: concerns, goals, plans.

Plans come from three places, strongest first: a plan the therapist summarised and the client
confirmed; the client's future-tense commitments ("I'm going to call her this weekend"); and the
client's answers to planning questions ("Which two nights?" -> "Tuesday and Thursday").
Everything keeps the utterance ids it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..analysis.textcues import is_question
from ..domain import Role, Transcript, Utterance
from . import cues
from .text import sentences


@dataclass(frozen=True, slots=True)
class Statement:
    kind: str  # concern | goal | ability | commitment | agreement | answer | summary | schedule | defer | followup
    ids: tuple[str, ...]
    words: str  # the speaker's words (cleaned), first person for the client
    prompt: str = ""  # the therapist's question this answers, if any
    topic: str = ""


@dataclass(frozen=True, slots=True)
class Concern:
    topic: str
    label: str
    ids: tuple[str, ...]  # every client utterance on the topic, in order
    best_id: str
    best: str  # the client's most telling sentence on it
    therapist_ids: tuple[str, ...] = ()


@dataclass
class ClientStatements:
    concerns: list[Concern] = field(default_factory=list)
    goals: list[Statement] = field(default_factory=list)
    plans: list[Statement] = field(default_factory=list)
    mood: list[Statement] = field(default_factory=list)
    insight: list[Statement] = field(default_factory=list)

    def plan_ids(self) -> set[str]:
        return {i for s in self.plans for i in s.ids}


class View:
    """The transcript with the neighbours a rule needs: previous therapist turn, next client turn."""

    def __init__(self, t: Transcript) -> None:
        self.utts: tuple[Utterance, ...] = t.utterances
        self.index = {u.id: i for i, u in enumerate(self.utts)}
        self.topics = [topics_of(u.text) for u in self.utts]

    def prev_therapist(self, i: int, reach: int = 2) -> Utterance | None:
        for j in range(i - 1, max(-1, i - 1 - reach), -1):
            if self.utts[j].role == Role.THERAPIST:
                return self.utts[j]
            if self.utts[j].role == Role.CLIENT:
                return None
        return None

    def next_client(self, i: int, reach: int = 2) -> Utterance | None:
        for j in range(i + 1, min(len(self.utts), i + 1 + reach)):
            if self.utts[j].role == Role.CLIENT:
                return self.utts[j]
        return None

    def clients(self) -> list[tuple[int, Utterance]]:
        return [(i, u) for i, u in enumerate(self.utts) if u.role == Role.CLIENT]

    def therapists(self) -> list[tuple[int, Utterance]]:
        return [(i, u) for i, u in enumerate(self.utts) if u.role == Role.THERAPIST]

    def topic_near(self, i: int, reach: int = 6) -> str:
        """The topic most talked about in the few utterances up to ``i`` ("" if none)."""
        counts: dict[str, int] = {}
        for j in range(max(0, i - reach), i + 1):
            for k in self.topics[j]:
                counts[k] = counts.get(k, 0) + 1 + (j == i)
        return max(counts, key=lambda k: (counts[k], k)) if counts else ""


def topics_of(text: str) -> tuple[str, ...]:
    return tuple(k for k, (_, rx) in cues.TOPICS.items() if rx.search(text))


# --- concerns ------------------------------------------------------------------------------------

def _problem_score(sentence: str, topic_rx) -> float:  # type: ignore[no-untyped-def]
    n = len(sentence.split())
    if n < 4 or is_question(sentence) or not topic_rx.search(sentence):
        return -1.0
    return (2.0 * len(cues.PROBLEM.findall(sentence)) + 1.5
            + 0.5 * bool(cues.FEELING.search(sentence)) - 0.05 * max(0, n - 30))


def find_concerns(v: View, limit: int = 6) -> list[Concern]:
    out: list[tuple[float, Concern]] = []
    for key, (label, topic_rx) in cues.TOPICS.items():
        ids = [u.id for i, u in v.clients() if key in v.topics[i]]
        if not ids:
            continue
        scored = [(_problem_score(s, topic_rx), u.id, s) for i, u in v.clients() if key in v.topics[i]
                  for s in sentences(u.text)]
        score, best_id, best = max(scored, key=lambda x: (x[0], -v.index[x[1]]))
        if score < 3.5:  # mentioned, but never as a difficulty
            continue
        weight = sum(x[0] for x in scored if x[0] > 1.5)
        t_ids = tuple(u.id for i, u in v.therapists() if key in v.topics[i])
        out.append((weight, Concern(key, label, tuple(ids), best_id, best, t_ids)))
    out.sort(key=lambda wc: -wc[0])
    kept: list[Concern] = []
    for _, c in out:
        if len(kept) < limit and all(k.best != c.best for k in kept):  # one sentence, one concern
            kept.append(c)
    return sorted(kept, key=lambda c: v.index[c.ids[0]])


# --- goals, commitments, plans -------------------------------------------------------------------

def _clause(sents: list[str], k: int, start: int, follow: int = 3) -> str:
    """From the cue to the end of sentence k; a trailing pronoun pulls in the sentence before; short
    fragments right after (elaborations like "Two nights.") are kept."""
    clause = sents[k][start:]
    if cues.PRONOUN_END.search(clause) and k > 0:
        clause = sents[k - 1] + " " + sents[k]
    extra = [s for s in sents[k + 1:k + 1 + follow] if len(s.split()) <= 9 and not is_question(s)]
    for s in extra:
        if cues.GOAL.search(s) or cues.COMMIT.search(s):
            break
        clause += " " + s
    return clause


def _prompt(v: View, i: int) -> str:
    p = v.prev_therapist(i)
    return p.text if p is not None and is_question(p.text) else ""


def _goal_sentences(sents: list[str]) -> list[str]:
    picked: list[str] = []
    for k, s in enumerate(sents):
        m = cues.GOAL.search(s) or cues.ABILITY.search(s)
        if m is None or is_question(s) or cues.NEGATED_GOAL.search(s[:m.end()]) or len(s.split()) <= 5:
            continue
        if cues.PRONOUN_END.search(s) and k > 0 and sents[k - 1] not in picked:
            picked.append(sents[k - 1])
        picked.append(s)
    return picked


def content(sents: list[str]) -> list[str]:
    return [s for s in sents if not cues.FILLER_SENTENCE.match(s)]


def client_goals(v: View) -> list[Statement]:
    out: list[Statement] = []
    for i, u in v.clients():
        sents = content(sentences(u.text))
        picked = _goal_sentences(sents)
        p = v.prev_therapist(i)
        if picked:
            kind = "goal" if any(cues.GOAL.search(s) for s in picked) else "ability"
            out.append(Statement(kind, (u.id,), " ".join(picked), _prompt(v, i), v.topic_near(i)))
        elif p is not None and is_question(p.text) and cues.GOAL_PROMPT.search(p.text) and len(u.text.split()) >= 4:
            out.append(Statement("goal", (p.id, u.id), " ".join(sents[:2]), p.text, v.topic_near(i)))
    return out


def _commitment(v: View, i: int, u: Utterance) -> Statement | None:
    sents = content(sentences(u.text))
    p = v.prev_therapist(i)
    if p is not None and cues.HABITUAL_PROMPT.search(p.text):
        return None  # "What's a typical night like?" -> "Around ten I'll stop ..." describes a habit
    for k, s in enumerate(sents):
        m = cues.COMMIT.search(s)
        if m is None or is_question(s) or cues.NOT_COMMIT.search(s) or cues.HABITUAL.search(s[:m.start()]):
            continue
        clause = _clause(sents, k, m.start() if len(s[m.start():].split()) > 5 else 0)
        if len(clause.split()) <= 5 and p is not None:  # "I can do that." agrees to the therapist's proposal
            return Statement("agreement", (p.id, u.id), clause, p.text, v.topic_near(i))
        return Statement("commitment", (u.id,), clause, _prompt(v, i), v.topic_near(i))
    return None


def _answer(v: View, i: int, u: Utterance) -> Statement | None:
    p = v.prev_therapist(i)
    if p is None or not is_question(p.text) or not cues.PLAN_PROMPT.search(p.text):
        return None
    if cues.DECLINE.search(u.text) or len(u.text.split()) < 2 or cues.AGREE.search(u.text) and len(u.text.split()) < 4:
        return None
    if cues.SCALING.search(p.text):
        return None
    return Statement("answer", (p.id, u.id), " ".join(sentences(u.text)[:3]), p.text, v.topic_near(i))


def _summary(v: View, i: int, u: Utterance) -> Statement | None:
    if i < len(v.utts) * 0.5 or not (cues.SUMMARY.search(u.text) and cues.SUMMARY_CHECK.search(u.text)):
        return None
    reply = v.next_client(i)
    if reply is None or not cues.AGREE.search(reply.text):
        return None
    body = [s for s in sentences(u.text) if not is_question(s)]
    return Statement("summary", (u.id, reply.id), " ".join(body), "", "") if body else None


def _schedule(v: View, i: int, u: Utterance) -> Statement | None:
    if not cues.SCHEDULE.search(u.text) or i < len(v.utts) * 0.5:
        return None
    reply = v.next_client(i)
    if reply is None or not cues.AGREE.search(reply.text):
        return None
    return Statement("schedule", (u.id, reply.id), reply.text, u.text, "")


def _defer(v: View, i: int, u: Utterance) -> Statement | None:
    if not cues.DEFER.search(u.text):
        return None
    reply = v.next_client(i)
    if reply is None or not (cues.DECLINE.search(reply.text) or "next time" in reply.text.lower()):
        return None
    return Statement("defer", (u.id, reply.id), reply.text, u.text, (topics_of(u.text) or ("",))[0])


def _followup(u: Utterance) -> Statement | None:
    return Statement("followup", (u.id,), u.text) if cues.THERAPIST_FOLLOWUP.search(u.text) else None


def _merge_agreements(items: list[Statement], v: View) -> list[Statement]:
    """A "Two nights I can do." right after a commitment strengthens it rather than adding a plan."""
    out: list[Statement] = []
    for s in items:
        last = out[-1] if out else None
        near = last is not None and v.index[s.ids[0]] - v.index[last.ids[-1]] <= 3
        if s.kind == "agreement" and near and last.kind in ("commitment", "answer") and not is_question(s.prompt):
            out[-1] = Statement(last.kind, ids_in_order(v, last.ids + s.ids), last.words, last.prompt, last.topic)
        elif s.kind == "followup" and near and last.kind == "defer":
            out[-1] = Statement(last.kind, ids_in_order(v, last.ids + s.ids), last.words, last.prompt, last.topic)
        else:
            out.append(s)
    return out


def client_plans(v: View) -> list[Statement]:
    out: list[Statement] = []
    for i, u in enumerate(v.utts):
        if u.role == Role.CLIENT:
            found = _commitment(v, i, u) or _answer(v, i, u)
        elif u.role == Role.THERAPIST:
            found = _summary(v, i, u) or _schedule(v, i, u) or _defer(v, i, u) or _followup(u)
        else:
            found = None
        if found is not None:
            out.append(found)
    return _merge_agreements(out, v)


# --- mood and insight -----------------------------------------------------------------------------

HOW_ARE_YOU = cues.rx(r"how are you", r"how have you been", r"how's your week", r"how was your week",
                      r"how are things", r"how do you feel", r"how are you feeling")


def client_mood(v: View, limit: int = 3, skip: set[str] = frozenset()) -> list[Statement]:  # type: ignore[assignment]
    out: list[Statement] = []
    for i, u in v.clients():
        if u.id in skip:
            continue
        p = v.prev_therapist(i)
        if p is not None and HOW_ARE_YOU.search(p.text):
            out.append(Statement("mood", (u.id,), " ".join(sentences(u.text)[:2]), p.text))
            continue
        for s in sentences(u.text):
            if cues.FEELING.search(s) and len(s.split()) <= 25 and not is_question(s):
                out.append(Statement("mood", (u.id,), s))
                break
    return out[:limit]


def client_insight(v: View) -> list[Statement]:
    out = []
    for i, u in v.clients():
        for s in sentences(u.text):
            if cues.INSIGHT.search(s) and not is_question(s):
                out.append(Statement("insight", (u.id,), " ".join(sentences(u.text)[:3]), _prompt(v, i)))
                break
    return out


def extract(t: Transcript) -> ClientStatements:
    v = View(t)
    goals, plans = client_goals(v), client_plans(v)
    plan_ids = {i for p in plans for i in p.ids}
    goals = [g for g in goals if not set(g.ids) & plan_ids]
    used = {i for s in goals + plans for i in s.ids}
    return ClientStatements(concerns=find_concerns(v), goals=goals, plans=plans,
                            mood=client_mood(v, skip=used), insight=client_insight(v))


def ids_in_order(v: View, ids: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted(set(ids), key=lambda x: v.index.get(x, 1 << 30)))
