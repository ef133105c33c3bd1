"""Slots of the modality sections (CBT, MI, couples), each written from the analysis findings."""

from __future__ import annotations

from ..domain import Role
from .compose import Compose, finding_ids
from .model import Sentence
from .slots_client import client_words, plan_sentence
from .text import join_list


def cbt_cycle(ctx: Compose) -> list[Sentence]:
    """Feelings in the client's words, the links they drew between situations and reactions, their insight."""
    out = []
    mood = ctx.said.mood[:2]
    if mood:
        out.append(ctx.s(f"Feelings: client said {'; '.join(client_words(m.words, 12) for m in mood)}.",
                         [i for m in mood for i in m.ids]))
    for f in ctx.kind("topic_link")[:1]:
        out.append(ctx.s(f"Thoughts and behaviours: client linked {f.label}: {client_words(str(f.data.get('words', '')), 18)}.",
                         finding_ids(f)))
    for s in ctx.said.insight[:1]:
        out.append(ctx.s(f"Client reflected that {client_words(s.words, 18)}.", s.ids))
    return out or [ctx.absent("No thoughts, feelings or behaviours were identified in the transcript.",
                              "nothing_found")]


def cbt_homework(ctx: Compose) -> list[Sentence]:
    """Homework set; without any, the client's own between-session commitments (what CBT calls homework)."""
    homework = [(c, p) for c, p in ctx.said.plans if c == "homework"]
    if homework:
        return [plan_sentence(ctx, c, p) for c, p in homework[:3]]
    own = [p for c, p in ctx.said.plans if p.kind == "commitment"][:2]
    return [ctx.s(f"Between sessions: client said {client_words(p.words, 16)}.", p.ids) for p in own]


def change_talk(ctx: Compose) -> list[Sentence]:
    change = [f for f in ctx.kind("client_talk") if f.label == "change"]
    sustain = [f for f in ctx.kind("client_talk") if f.label == "sustain"]
    out = []
    if change:
        first = change[0]
        text = ctx.text(finding_ids(first)[0])
        out.append(ctx.s(f"Change talk: client said {client_words(text, 16)}.", finding_ids(first)[:1]))
    if sustain:
        text = ctx.text(finding_ids(sustain[0])[0])
        out.append(ctx.s(f"Sustain talk: client said {client_words(text, 16)}.", finding_ids(sustain[0])[:1]))
    balance = [f for f in ctx.kind("technique") if f.label == "decisional balance"]
    if balance:
        out.append(ctx.s("Therapist used an MI decisional-balance exercise.", finding_ids(balance[0])))
    return out


def commitment(ctx: Compose) -> list[Sentence]:
    said = [(c, p) for c, p in ctx.said.plans if p.kind in ("commitment", "agreement", "answer")]
    return [plan_sentence(ctx, c, p) for c, p in said[:2]]


def partners(ctx: Compose) -> list[Sentence]:
    """Each client speaker's main concern, in their own paraphrased words."""
    speakers = {s.id: s.name for s in ctx.analysis.transcript.speakers if s.role == Role.CLIENT}
    out = []
    for sid, name in speakers.items():
        own = [c for c in ctx.said.concerns if c.best_id in ctx.view.index
               and ctx.view.utts[ctx.view.index[c.best_id]].speaker == sid]
        if own:
            c = own[0]
            out.append(ctx.s(f"{name or sid} described {join_list([x.label for x in own[:2]])}: "
                             f"{client_words(c.best, 16)}.", [c.best_id]))
    if len(speakers) < 2:
        out.append(ctx.absent("Only one client's speech was identified in the transcript.", "one_partner"))
    return out
