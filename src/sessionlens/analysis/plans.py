"""Plans and goals the session arrived at: homework, commitments, next appointment, referrals, safety steps.

Plans come from several places, strongest first: a plan the therapist summarised and the client
confirmed; the client's future-tense commitments ("I'm going to call her this weekend"); the client's
answers to planning questions ("Which two nights?" -> "Tuesday and Thursday"); the next appointment
agreed; a topic deferred to a later session; the therapist's own follow-ups and referrals; and safety
steps the client agreed to. Goals are what the client wants, needs or feels able to change.

Each is a finding (kind ``plan`` or ``goal``) whose evidence is the utterances it rests on and whose
data keeps the speaker's words, the therapist's question it answers and its topic, so a note can write
it without reading the transcript again.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain import Finding, Role, Transcript, Utterance
from . import statement_cues as cues
from .sentences import sentences
from .textcues import is_question
from .view import View, statement, topics_of

SOURCE = "plans-v1"
# plan form -> the category a note files it under (the finding's label)
CATEGORY = {"summary": "plan summary", "schedule": "next appointment", "defer": "deferred topic",
            "followup": "follow-up", "safety": "safety step", "referral": "referral"}


@dataclass(frozen=True, slots=True)
class Statement:
    kind: str  # goal | ability | commitment | agreement | answer | summary | schedule | defer | followup | ...
    ids: tuple[str, ...]
    words: str  # the speaker's words (cleaned), first person for the client
    prompt: str = ""  # the therapist's question or proposal this answers, if any
    topic: str = ""


# --- goals -------------------------------------------------------------------------------------

def _prompt(v: View, i: int) -> str:
    p = v.prompt_before(i)
    return p.text if p is not None and is_question(p.text) else ""


def content(sents: list[str]) -> list[str]:
    return [s for s in sents if not cues.FILLER_SENTENCE.match(s)]


def _goal_sentences(sents: list[str]) -> list[str]:
    picked: list[str] = []
    for k, s in enumerate(sents):
        m = cues.GOAL.search(s) or cues.ABILITY.search(s)
        if m is None or is_question(s) or cues.NEGATED_GOAL.search(s[:m.end()]) or len(s.split()) <= 5 \
                or cues.NOT_GOAL.search(s):
            continue
        if cues.PRONOUN_END.search(s) and k > 0 and sents[k - 1] not in picked:
            picked.append(sents[k - 1])
        picked.append(s)
    return picked


def client_goals(v: View) -> list[Statement]:
    out: list[Statement] = []
    for i, u in v.clients():
        sents = content(sentences(u.text))
        picked = _goal_sentences(sents)
        p = v.prompt_before(i)
        if picked:
            kind = "goal" if any(cues.GOAL.search(s) for s in picked) else "ability"
            out.append(Statement(kind, (u.id,), " ".join(picked), _prompt(v, i), v.topic_near(i)))
        elif p is not None and is_question(p.text) and cues.GOAL_PROMPT.search(p.text) and len(u.text.split()) >= 4:
            out.append(Statement("goal", (p.id, u.id), " ".join(sents[:2]), p.text, v.topic_near(i)))
    return out


# --- plans -------------------------------------------------------------------------------------

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


def _commitment(v: View, i: int, u: Utterance) -> Statement | None:
    sents = content(sentences(u.text))
    p = v.prev_therapist(i)
    if p is not None and cues.HABITUAL_PROMPT.search(p.text):
        return None  # "What's a typical night like?" -> "Around ten I'll stop ..." describes a habit
    for k, s in enumerate(sents):
        m = cues.COMMIT.search(s)
        if m is None or is_question(s) or cues.NOT_COMMIT.search(s) or cues.HABITUAL.search(s[:m.start()]) \
                or cues.REPORTED.search(s[:m.start()]):
            continue
        clause = _clause(sents, k, m.start() if len(s[m.start():].split()) > 5 else 0)
        if len(clause.split()) <= 5 and p is not None:  # "I can do that." agrees to the therapist's proposal
            if cues.NOT_PROPOSAL.search(p.text):
                return None
            return Statement("agreement", (p.id, u.id), clause, p.text, v.topic_near(i))
        return Statement("commitment", (u.id,), clause, _prompt(v, i), v.topic_near(i))
    return None


def _answer(v: View, i: int, u: Utterance, planning: bool = False) -> Statement | None:
    """The client's answer to a planning question (``planning``: a plan was found just before, so a
    short "Anything else?" continues the exchange)."""
    p = v.prompt_before(i)
    if p is None or not is_question(p.text):
        return None
    if not (cues.PLAN_PROMPT.search(p.text) or planning and cues.PLAN_FOLLOW_ON.search(p.text)):
        return None
    if cues.DECLINE.search(u.text) or len(u.text.split()) < 2 or cues.AGREE.search(u.text) and len(u.text.split()) < 4:
        return None
    if cues.SCALING.search(p.text) or i < len(v.utts) * 0.25:  # early answers describe, they do not plan
        return None
    between = v.utts[v.index[p.id] + 1:i]
    if any(x.role == Role.CLIENT and len(x.text.split()) > 3 for x in between):
        return None  # the question was answered already: a later "Thank you" is not a second answer
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


def _safety(v: View, i: int, u: Utterance) -> Statement | None:
    reply = v.next_client(i)
    proposed = any(cues.SAFETY_AGREE.search(s) and not is_question(s) for s in sentences(u.text))
    if not proposed or reply is None or not cues.AGREE.search(reply.text):
        return None
    return Statement("safety", (u.id, reply.id), reply.text, u.text, "")


def _followup(u: Utterance) -> Statement | None:
    return Statement("followup", (u.id,), u.text) if cues.THERAPIST_FOLLOWUP.search(u.text) else None


def _merge_agreements(items: list[Statement], v: View) -> list[Statement]:
    """A "Two nights I can do." right after a commitment strengthens it rather than adding a plan."""
    out: list[Statement] = []
    for s in items:
        last = out[-1] if out else None
        near = last is not None and v.index[s.ids[0]] - v.index[last.ids[-1]] <= 3
        if last is not None and s.kind == "agreement" and set(s.ids) <= set(last.ids):
            continue  # the client's "I can do that" to a safety step, summary or appointment already recorded
        if last is not None and near and s.kind == "agreement" and last.kind in ("commitment", "answer") \
                and not is_question(s.prompt):
            out[-1] = Statement(last.kind, v.in_order(last.ids + s.ids), last.words, last.prompt, last.topic)
        elif last is not None and near and s.kind == "followup" and last.kind == "defer":
            out[-1] = Statement(last.kind, v.in_order(last.ids + s.ids), last.words, last.prompt, last.topic)
        else:
            out.append(s)
    return out


def client_plans(v: View) -> list[Statement]:
    out: list[Statement] = []
    last = -10
    for i, u in enumerate(v.utts):
        found: Statement | None = None
        if u.role == Role.CLIENT:
            found = _commitment(v, i, u) or _answer(v, i, u, planning=i - last <= 4)
        elif u.role == Role.THERAPIST:
            found = _safety(v, i, u) or _summary(v, i, u) or _schedule(v, i, u) or _defer(v, i, u) or _followup(u)
        if found is not None:
            out.append(found)
            last = i
    return _merge_agreements(out, v)


# --- findings ------------------------------------------------------------------------------------

def category(s: Statement) -> str:
    """What a note files the plan under: homework, next appointment, referral, safety step, plan..."""
    if s.kind in ("commitment", "answer", "agreement"):
        text = f"{s.words} {s.prompt}"
        if cues.REFERRAL.search(text):
            return "referral"
        if cues.NEXT_VISIT.search(s.words) or cues.NEXT_VISIT.search(s.prompt) and "when" in s.prompt.lower():
            return "next appointment"
        return "homework" if cues.HOMEWORK.search(text) and not cues.PAST_CHANGE.search(s.words) else "plan"
    if s.kind == "followup" and cues.REFERRAL.search(s.words):
        return "referral"
    return CATEGORY.get(s.kind, "plan")


WHY = {"commitment": "The client said what they will do.", "agreement": "The client agreed to the therapist's proposal.",
       "answer": "The client answered the therapist's planning question.",
       "summary": "The therapist summarised the plan and the client confirmed it.",
       "schedule": "The next session was proposed and the client agreed.",
       "defer": "The client chose to leave a topic for a later session.",
       "followup": "The therapist said what they will follow up.",
       "safety": "The therapist proposed a safety step and the client agreed.",
       "goal": "The client said what they want or need to change.", "ability": "The client said what they could do."}


def _finding(v: View, kind: str, label: str, s: Statement) -> Finding:
    return statement(v, kind, label, s.ids, SOURCE, WHY.get(s.kind, ""), 0.6,
                     form=s.kind, words=s.words, prompt=s.prompt, topic=s.topic)


def plan_findings(t: Transcript) -> list[Finding]:
    """Plan findings, then goal findings (goals that are part of a plan are left to the plan)."""
    v = View(t)
    plans = client_plans(v)
    plan_ids = {i for p in plans for i in p.ids}
    goals = [g for g in client_goals(v) if not set(g.ids) & plan_ids]
    return ([_finding(v, "plan", category(p), p) for p in plans]
            + [_finding(v, "goal", g.kind, g) for g in goals])
