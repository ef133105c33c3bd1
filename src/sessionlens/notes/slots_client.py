"""Slots written from the client's statements as the analysis found them: concerns, client report,
goals, plan (homework, commitments, next appointment, referrals, safety steps).

Clinical voice: the client's words are paraphrased in the third person wherever a paraphrase can
stand on its evidence; a quote is the fallback, never the rule."""

from __future__ import annotations

import re

from ..analysis import statement_cues as cues
from ..analysis.plans import Statement, content
from ..analysis.textcues import is_question
from .compose import Compose
from .model import Sentence
from .text import (
    clean, end_stop, indirect_question, join_list, lower_first, person3, person_swap_you, quote, sentences,
    strip_lead, strip_stop, tidy, upper_first,
)

_FIRST_PERSON = re.compile(r"^(?:i|i'm|i've|i'd|i'll|i was|my|we|we're|we've)\b", re.IGNORECASE)


def paraphrase(sentence: str) -> str | None:
    """'I haven't been sleeping great.' -> 'they haven't been sleeping great'; None for fragments."""
    s = tidy(strip_lead(clean(sentence)))
    if not _FIRST_PERSON.match(s) or len(s.split()) < 3:
        return None
    return strip_stop(person3(s))


def said(ctx: Compose, sentence: str, fallback_words: str) -> str:
    """'client reported that ...' when it reads as a clause, else the client's words in quotes."""
    p = paraphrase(sentence)
    return f"client reported that {p}" if p else f"client said {quote(fallback_words)}"


# --- concerns and report ---------------------------------------------------------------------

def concerns(ctx: Compose) -> list[Sentence]:
    taken = {i for s in ctx.said.goals for i in s.ids} | ctx.said.plan_ids()
    cs = [c for c in ctx.said.concerns if c.best_id not in taken]
    if not cs:
        return []
    out = [ctx.s(f"Client presented with concerns about {join_list([c.label for c in cs])}.",
                 [c.ids[0] for c in cs])]
    for c in cs:
        text = ctx.text(c.best_id)
        p = paraphrase(c.best)
        if p:
            out.append(ctx.s(f"{upper_first(c.label)}: client reported that {p}.", [c.best_id]))
        else:
            sents = content(sentences(text))
            k = next((n for n, x in enumerate(sents) if x == c.best), 0)
            body = " ".join(sents[k:k + 3])
            out.append(ctx.s(f"{upper_first(c.label)}: client said {quote(body)}.", [c.best_id]))
    return out


def client_report(ctx: Compose, limit: int = 2) -> list[Sentence]:
    """The longest disclosures not yet used, in the client's words (what a clinician would quote)."""
    used = {c.best_id for c in ctx.said.concerns} | {i for s in ctx.said.goals for i in s.ids} | ctx.said.plan_ids()
    long = sorted(((len(u.text.split()), i, u) for i, u in ctx.view.clients()
                   if u.id not in used and len(u.text.split()) >= 35), reverse=True)[:limit]
    out = []
    for _, _i, u in sorted(long, key=lambda x: x[1]):
        body = " ".join(content(sentences(u.text))[:3])
        out.append(ctx.s(f"Client also said {quote(body, 40)}.", [u.id]))
    return out


# --- goals -------------------------------------------------------------------------------------

def _goal_sentence(ctx: Compose, g: Statement) -> Sentence:
    body = client_words(g.words)
    if g.prompt and len(g.ids) > 1:  # an answer to the therapist's goal question
        asked = indirect_question(g.prompt.split("?")[0].split(".")[-1] + "?")
        lead = f"Asked {asked}, client said" if asked else "Asked about their goals, client said"
        return ctx.s(f"{lead} {body}." if body else f"{lead} {quote(g.words)}.", g.ids)
    if not body:
        return ctx.s(f"Client said {quote(g.words)}.", g.ids)
    lead = "Client stated a goal:" if g.kind == "goal" else "Client named what they could do:"
    return ctx.s(f"{lead} {body}.", g.ids)


def goals(ctx: Compose) -> list[Sentence]:
    return [_goal_sentence(ctx, g) for g in ctx.said.goals[:6]]


# --- plan ----------------------------------------------------------------------------------------

def _asked(prompt: str) -> str | None:
    for q in (s for s in sentences(prompt) if is_question(s)):
        found = indirect_question(q)
        if found:
            return found
    return None


MAX_CLAUSE_WORDS = 18  # a note paraphrases; a long turn is cut at this many words


def client_words(words: str, limit: int = MAX_CLAUSE_WORDS) -> str:
    """The client's words as a clause in the third person, without fillers ("I'll call her" -> "they will call
    her"), cut to ``limit`` words."""
    parts = [strip_stop(tidy(strip_lead(x))) for x in sentences(words)]
    text = "; ".join(person3(soft_lower(p)) for p in parts if p)
    cut = text.split()
    return text if len(cut) <= limit else " ".join(cut[:limit]).rstrip(",;:") + " ..."


def _commitment(ctx: Compose, p: Statement) -> Sentence:
    sents = sentences(p.words)
    body = client_words(p.words)
    asked = _asked(p.prompt) if p.prompt else None
    ids = list(p.ids)
    lead = "Plan: client said"
    prev = ctx.view.prompt_before(ctx.view.index[p.ids[0]])
    if asked and prev is not None:
        lead = f"Asked {asked}, client said"
        ids.insert(0, prev.id)
    elif p.topic and re.search(r"\b(?:it|that|this|her|him|them)\b", sents[0], re.IGNORECASE):
        lead = f"Regarding {cues.TOPICS[p.topic][0]}, client said"
        ids += _topic_anchor(ctx, p)
    return ctx.s(f"{lead} {body}.", ids)


def _topic_anchor(ctx: Compose, p: Statement) -> list[str]:
    """The nearest earlier utterance naming the topic, so a sentence saying "alcohol" cites it."""
    i = ctx.view.index[p.ids[0]]
    for j in range(i - 1, max(-1, i - 8), -1):
        if p.topic in ctx.view.topics_at(j):
            return [ctx.view.utts[j].id]
    return []


def proposal(prompt: str) -> str:
    body = [s for s in sentences(prompt) if not is_question(s) and not cues.AGREE.match(s)]
    return " ".join(body[-1:]) if body else prompt


_THERAPIST_SELF = ((re.compile(r"\bI'll\b"), "the therapist will"), (re.compile(r"\bI\b"), "the therapist"),
                   (re.compile(r"\b(?:me|myself)\b", re.IGNORECASE), "the therapist"))


def therapist_words(words: str) -> str:
    """The therapist's words seen from the note ("I'll check in with you" -> "the therapist will check in
    with them"), without leading fillers ("Good.", "Okay.")."""
    parts = [strip_stop(strip_lead(x)) for x in sentences(words)]
    parts = [p for p in parts if len(p.split()) > 1] or parts
    text = soft_lower("; ".join(p for p in parts if p))
    for rx, repl in _THERAPIST_SELF:
        text = rx.sub(repl, text)
    return person_swap_you(text)


def proposal_clause(prompt: str) -> str:
    """The therapist's proposal seen from the note ("tell me if you..." -> "tell the therapist if they...")."""
    return therapist_words(proposal(prompt))


_PROPER = re.compile(r"^(?:I|I'm|I'll|I've|I'd|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|"
                     r"May|June|July|August|September|October|November|December)\b")


def soft_lower(text: str) -> str:
    """Lower the first letter unless the word is a day, a month, "I", or capitalised again later in the
    text (a name: "Claire ... Claire")."""
    first = text.split(" ", 1)[0].strip(",.;:")
    later = {w.strip(",.;:!?\"'") for w in text.split()[1:]}
    if not first or _PROPER.match(first) or first in later:
        return text
    return lower_first(text)


_WHEN = re.compile(r"(?:next )?(?:mon|tues|wednes|thurs|fri|satur|sun)day(?: at [\w:']+(?: o'clock)?)?|"
                   r"(?:in|next) (?:a|one|two|three|four) weeks?|next week", re.IGNORECASE)


def plan_sentence(ctx: Compose, category: str, p: Statement) -> Sentence:
    homework = {"homework": "Homework: ", "next appointment": "Next appointment: ",
                "referral": "Referral: "}.get(category, "")
    if p.kind == "summary":
        items = strip_stop(re.sub(r"^\W*(?:okay,?\s*)?so\b\W*", "", p.words, flags=re.IGNORECASE))
        return ctx.s(f"Summarised by the therapist and confirmed by the client: {person_swap_you(items)}.", p.ids)
    if p.kind == "commitment":
        return _commitment(ctx, p) if not homework else ctx.s(f"{homework}client said {client_words(p.words)}.", p.ids)
    if p.kind == "answer":
        asked = _asked(p.prompt)
        lead = f"Asked {asked}, client specified" if asked else "Client said"
        return ctx.s(f"{homework}{lower_first(lead) if homework else lead} {client_words(p.words)}.", p.ids)
    if p.kind in ("agreement", "safety"):
        what = "a safety step" if p.kind == "safety" else "the therapist's proposal"
        return ctx.s(f"{homework}Client agreed to {what}: {proposal_clause(p.prompt)}.", p.ids)
    if p.kind == "schedule":
        when = _WHEN.search(p.words + " " + p.prompt)
        return ctx.s(f"Next session agreed for {when.group(0)}." if when else "Next session agreed.", p.ids)
    if p.kind == "defer":
        asked = _asked(p.prompt)
        topic = f" {asked}" if asked and asked.startswith("about") else ""
        return ctx.s(f"Asked{topic} whether to address it this week, client chose to leave it for a later session.",
                     p.ids)
    lead = "Referral discussed by the therapist" if category == "referral" else "Therapist follow-up"
    return ctx.s(f"{lead}: {therapist_words(p.words)}.", p.ids)  # followup


ORDER = {"summary": 0, "commitment": 1, "answer": 1, "agreement": 1, "safety": 1, "defer": 2, "followup": 3,
         "schedule": 4}


def plan(ctx: Compose) -> list[Sentence]:
    risk_section = bool(ctx.kind("risk"))  # safety steps are written there when the risk section has content
    items = [cp for cp in ctx.said.plans if not (cp[1].kind == "safety" and risk_section)]
    items.sort(key=lambda cp: (ORDER.get(cp[1].kind, 5), ctx.view.index[cp[1].ids[0]]))
    out = [plan_sentence(ctx, c, p) for c, p in items]
    return out or [ctx.absent("No homework, plan or next appointment was discussed in the transcript.", "no_plan")]


# --- mood (mental status) --------------------------------------------------------------------

def mood(ctx: Compose) -> list[Sentence]:
    ms = ctx.said.mood
    if not ms:
        return []
    quotes = [quote(upper_first(end_stop(strip_lead(m.words))) if strip_lead(m.words) else m.words, 12) for m in ms]
    return [ctx.s(f"Mood, in the client's words: {'; '.join(quotes)}.", [i for m in ms for i in m.ids])]
