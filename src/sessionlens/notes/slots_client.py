"""Slots written from the client's own statements: concerns, client report, goals, plan."""

from __future__ import annotations

import re

from . import cues
from .compose import Compose
from .extract import Statement, content, is_question
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
    taken = {i for s in ctx.said.goals + ctx.said.plans for i in s.ids}
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
    used = {c.best_id for c in ctx.said.concerns} | {i for s in ctx.said.goals + ctx.said.plans for i in s.ids}
    long = sorted(((len(u.text.split()), i, u) for i, u in ctx.view.clients()
                   if u.id not in used and len(u.text.split()) >= 35), reverse=True)[:limit]
    out = []
    for _, i, u in sorted(long, key=lambda x: x[1]):
        body = " ".join(content(sentences(u.text))[:3])
        out.append(ctx.s(f"Client also said {quote(body, 40)}.", [u.id]))
    return out


# --- goals -------------------------------------------------------------------------------------

def _goal_sentence(ctx: Compose, g: Statement) -> Sentence:
    if g.prompt and len(g.ids) > 1:  # an answer to the therapist's goal question
        asked = indirect_question(g.prompt.split("?")[0].split(".")[-1] + "?")
        lead = f"Asked {asked}, client said" if asked else "Asked about their goals, client said"
        return ctx.s(f"{lead} {quote(g.words)}.", g.ids)
    parts = [p for p in (paraphrase(s) for s in sentences(g.words)) if p]
    verb = "stated that" if g.kind == "goal" else "said that"
    if parts:
        return ctx.s(f"Client {verb} {'; '.join(parts)}.", g.ids)
    return ctx.s(f"Client said {quote(g.words)}.", g.ids)


def goals(ctx: Compose) -> list[Sentence]:
    return [_goal_sentence(ctx, g) for g in ctx.said.goals[:6]]


# --- plan ----------------------------------------------------------------------------------------

def _asked(prompt: str) -> str | None:
    for q in (s for s in sentences(prompt) if is_question(s)):
        found = indirect_question(q)
        if found:
            return found
    return None


def _commitment(ctx: Compose, p: Statement) -> Sentence:
    sents = sentences(p.words)
    main = paraphrase(sents[0]) or strip_stop(strip_lead(sents[0]))
    extra = [lower_first(strip_stop(strip_lead(s))) for s in sents[1:] if strip_stop(strip_lead(s))]
    body = main + (f" ({'; '.join(extra)})" if extra else "")
    asked = _asked(p.prompt) if p.prompt else None
    ids = list(p.ids)
    lead = "Client committed to a plan:"
    if asked:
        lead = f"Asked {asked}, client said"
        ids.insert(0, ctx.view.prev_therapist(ctx.view.index[p.ids[0]]).id)  # type: ignore[union-attr]
    elif cues.PRONOUN_END.search(sents[0]) or re.search(r"\b(?:it|her|him|them)\b", sents[0], re.IGNORECASE):
        if p.topic:
            lead = f"Regarding {cues.TOPICS[p.topic][0]}, client said"
            ids += _topic_anchor(ctx, p)
    if lead.endswith(":"):
        return ctx.s(f"{lead} {body}.", ids)
    return ctx.s(f"{lead} {body}.", ids)


def _topic_anchor(ctx: Compose, p: Statement) -> list[str]:
    """The nearest earlier utterance naming the topic, so a sentence saying "alcohol" cites it."""
    i = ctx.view.index[p.ids[0]]
    for j in range(i - 1, max(-1, i - 8), -1):
        if p.topic in ctx.view.topics[j]:
            return [ctx.view.utts[j].id]
    return []


def proposal(prompt: str) -> str:
    body = [s for s in sentences(prompt) if not is_question(s) and not cues.AGREE.match(s)]
    return " ".join(body[-1:]) if body else prompt


def plan_sentence(ctx: Compose, p: Statement) -> Sentence:
    if p.kind == "summary":
        items = strip_stop(re.sub(r"^\W*(?:okay,?\s*)?so\b\W*", "", p.words, flags=re.IGNORECASE))
        return ctx.s(f"Summarised by the therapist and confirmed by the client: {person_swap_you(items)}.", p.ids)
    if p.kind == "commitment":
        return _commitment(ctx, p)
    if p.kind == "answer":
        asked = _asked(p.prompt)
        lead = f"Asked {asked}, client specified" if asked else "In answer to the therapist's question, client said"
        return ctx.s(f"{lead} {quote(p.words)}.", p.ids)
    if p.kind == "agreement":
        return ctx.s(f"Client agreed ({quote(p.words, 8)}) to the therapist's proposal {quote(proposal(p.prompt))}.",
                     p.ids)
    if p.kind == "schedule":
        when = re.search(r"(?:next )?(?:mon|tues|wednes|thurs|fri|satur|sun)day(?: at [\w:']+(?: o'clock)?)?",
                         p.words + " " + p.prompt, re.IGNORECASE)
        what = f"for {when.group(0)}" if when else quote(p.words)
        return ctx.s(f"Next session agreed {what}.", p.ids)
    if p.kind == "defer":
        asked = _asked(p.prompt)
        topic = f" {asked}" if asked and asked.startswith("about") else ""
        return ctx.s(f"Asked{topic} whether to address it this week, client chose to leave it for a later session "
                     f"({quote(p.words, 10)}).", p.ids)
    return ctx.s(f"Therapist follow-up: {quote(p.words)}.", p.ids)  # followup


def plan(ctx: Compose) -> list[Sentence]:
    items = ctx.said.plans
    order = {"summary": 0, "commitment": 1, "answer": 1, "agreement": 1, "defer": 2, "followup": 3, "schedule": 4}
    items = sorted(items, key=lambda p: (order.get(p.kind, 5), ctx.view.index[p.ids[0]]))
    out = [plan_sentence(ctx, p) for p in items]
    return out or [ctx.absent("No homework, plan or next appointment was discussed in the transcript.", "no_plan")]


# --- mood (mental status) --------------------------------------------------------------------

def mood(ctx: Compose) -> list[Sentence]:
    ms = ctx.said.mood
    if not ms:
        return []
    quotes = [quote(upper_first(end_stop(strip_lead(m.words))) if strip_lead(m.words) else m.words, 12) for m in ms]
    return [ctx.s(f"Mood, in the client's words: {'; '.join(quotes)}.", [i for m in ms for i in m.ids])]
