"""Slots written from the session as a whole: observations, mental status, interventions, response,
themes, relational process and risk. Analyzer findings are used where they exist; otherwise the
note's own transparent cues (moments.py)."""

from __future__ import annotations

from collections import Counter

from . import cues, moments
from .compose import Compose, finding_ids
from .model import Sentence
from .slots_client import mood, proposal
from .text import clock, join_list, quote, sentences

RISK_NAMES = {"suicidal_ideation": "suicidal ideation", "self_harm": "self-harm", "harm_to_others": "harm to others",
              "abuse_neglect": "abuse or neglect", "substance_crisis": "a substance crisis"}


def _topics(keys: list[str]) -> str:
    return join_list([cues.TOPICS[k][0] for k in keys if k in cues.TOPICS])


# --- observations and mental status ----------------------------------------------------------

def observations(ctx: Compose) -> list[Sentence]:
    utts = ctx.view.utts
    if not utts:
        return []
    share = (ctx.metrics.get("talk_time", {}).get("client") or {}).get("share")
    dur = ctx.metrics.get("duration_seconds")
    bits = [f"Session transcript runs from {clock(utts[0].start)} to {clock(utts[-1].end or utts[-1].start)}"]
    if dur:
        minutes = max(1, round(dur / 60))
        bits.append(f"about {minutes} minute{'s' if minutes > 1 else ''}, {len(utts)} utterances")
    text = " (".join(bits) + (")" if len(bits) > 1 else "")
    if share is not None:
        text += f"; the client spoke for about {round(share * 100)}% of the talk time"
    return [ctx.s(text + ".", [utts[0].id, utts[-1].id])]


def affect(ctx: Compose) -> list[Sentence]:
    cues_seen = moments.nonverbal(ctx.view)
    peaks = ctx.kind("emotion_peak")
    out = []
    if cues_seen:
        names = list(dict.fromkeys(m.data["cue"] for m in cues_seen))
        out.append(ctx.s(f"Affect: the transcript records {join_list(names)} from the client.",
                         [m.ids[0] for m in cues_seen]))
    client_peaks = [f for f in peaks if f.data.get("role", "client") == "client"][:3]
    if client_peaks:
        labels = join_list(list(dict.fromkeys(f.label for f in client_peaks)))
        out.append(ctx.s(f"Emotion model indications in the client's speech (for review): {labels}.",
                         [i for f in client_peaks for i in finding_ids(f)]))
    return out


def thought_content(ctx: Compose) -> list[Sentence]:
    talk = [f for f in ctx.kind("risk") if f.data.get("speaker_role") == "client" and not f.data.get("negated")]
    if talk:
        words = [quote(f.data.get("words", ""), 12) for f in talk[:2]]
        return [ctx.s(f"Thought content: client used the words {' and '.join(words)}.",
                      [i for f in talk[:2] for i in finding_ids(f)[:1]])]
    return []  # risk talk comes from the risk analysis only: a note never contradicts its "not discussed"


def mental_status(ctx: Compose) -> list[Sentence]:
    """Only items with evidence; everything else is said to be undocumented, never 'within normal limits'."""
    out = mood(ctx) + affect(ctx) + thought_content(ctx)
    out.append(ctx.absent("Mental-status domains not listed here are not documented from this session's transcript.",
                          "mse_scope"))
    return out


# --- interventions and response --------------------------------------------------------------

CODE_NAMES = {"question_open": "open questions", "open_question": "open questions",
              "question_closed": "closed questions", "closed_question": "closed questions",
              "reflection_simple": "simple reflections", "simple_reflection": "simple reflections",
              "reflection_complex": "complex reflections", "complex_reflection": "complex reflections",
              "affirm": "affirmations", "emphasize_autonomy": "statements supporting autonomy"}


def coded_mix(ctx: Compose) -> list[Sentence]:
    codes = ctx.kind("therapist_behaviour")
    if not codes:
        return []
    counts = Counter(f.label for f in codes)
    top = counts.most_common(4)
    names = [f"{CODE_NAMES.get(k, k.replace('_', ' '))} ({n})" for k, n in top]
    ids = [finding_ids(next(f for f in codes if f.label == k))[0] for k, _ in top]
    return [ctx.s(f"Coded therapist behaviours most used: {join_list(names)}.", ids)]


def _intervention(ctx: Compose, m: moments.Moment) -> Sentence | None:
    d = m.data
    if m.kind == "agenda":
        return ctx.s("Therapist set a shared agenda with the client at the start of the session.", m.ids)
    if m.kind == "exploration":
        topics = _topics(d["topics"])
        what = f" to explore {topics}" if topics else ""
        return ctx.s(f"Therapist used open questions and reflective listening{what} "
                     f"({d['open_questions']} open questions, {d['reflections']} reflective statements).", m.ids)
    if m.kind == "information":
        about = f" about {_topics(d['topics'])}" if d["topics"] else ""
        return ctx.s(f"Therapist asked permission before offering information{about}.", m.ids)
    if m.kind == "suggestions":
        about = f" about {_topics([d['topic']])}" if d["topic"] else ""
        return ctx.s(f"Therapist offered direct suggestions{about} ({d['count']}).", m.ids)
    if m.kind == "scaling":
        return ctx.s(f"Therapist used a scaling question; client answered {quote(d['reply'], 14)}.", m.ids)
    if m.kind == "affirmations":
        return ctx.s("Therapist affirmed the client's efforts and values.", m.ids)
    if m.kind == "here_and_now":
        return ctx.s("Therapist invited reflection on the session and the relationship in the moment.", m.ids)
    return None


def interventions(ctx: Compose) -> list[Sentence]:
    v = ctx.view
    found = (moments.agenda(v) + moments.exploration(v) + moments.permission_information(v) + moments.suggestions(v)
             + moments.scaling(v) + moments.affirmations(v) + moments.immediacy(v)[:1])
    out = coded_mix(ctx) + [s for s in (_intervention(ctx, m) for m in found) if s is not None]
    screened = moments.screening(v)
    if screened:
        asked = list(dict.fromkeys(a for m in screened for a in m.data["asked"]))
        out.append(ctx.s(f"Therapist asked directly about {join_list(asked)}.", [m.ids[0] for m in screened]))
    planning = [p for p in ctx.said.plans if p.kind in ("answer", "summary")]
    if planning:
        out.append(ctx.s("Therapist summarised what the client would do and checked it with them.",
                         [i for p in planning for i in p.ids[:1]]))
    return out


def response(ctx: Compose) -> list[Sentence]:
    out = []
    talk = Counter(f.label for f in ctx.kind("client_talk"))
    change, sustain = talk.get("change", 0), talk.get("sustain", 0)
    if change or sustain:
        ids = [finding_ids(f)[0] for f in ctx.kind("client_talk") if f.label in ("change", "sustain")][:6]
        out.append(ctx.s(f"Client's statements included talk in favour of change ({change}) and in favour of "
                         f"keeping things as they are ({sustain}).", ids))
    for s in ctx.said.insight[:3]:
        out.append(ctx.s(f"Client reflected: {quote(s.words)}.", s.ids))
    for m in moments.closing_feeling(ctx.view):
        out.append(ctx.s(f"At the close of the session client said {quote(m.data['text'])}.", m.ids))
    return out


# --- themes --------------------------------------------------------------------------------------

def _theme_findings(ctx: Compose) -> list[Sentence]:
    named = [f for f in ctx.kind("theme") if not f.label.startswith("recurring words")]
    if not named:
        return []
    top = sorted(named, key=lambda f: -int(f.data.get("by_client", 0)))[:6]
    top.sort(key=lambda f: f.data.get("first_start") or 0)
    return [ctx.s(f"Themes of the session, in the order they arose: {join_list([f.label for f in top])}.",
                  [finding_ids(f)[0] for f in top])]


LINK = cues.rx(r"(?:more|worse|better|less|started|began|ever) since", r"since the\b", r"because", r"that's why",
               r"makes me", r"after (?:the|my|he|she|that)\b")


def _links(ctx: Compose, limit: int = 3) -> list[Sentence]:
    """Client statements that connect two topics causally ("It's been more since the promotion")."""
    out = []
    for _, u in ctx.view.clients():
        sents = sentences(u.text)
        for k, s in enumerate(sents):
            if not LINK.search(s):
                continue
            span = " ".join(sents[max(0, k - 1):k + 1])
            ks = [t for t, (_, rx) in cues.TOPICS.items() if rx.search(span)]
            if len(ks) >= 2:
                out.append(ctx.s(f"Client linked {_topics(ks[:1])} with {_topics(ks[1:3])}: {quote(span, 24)}.",
                                 [u.id]))
                break
    return out[:limit]


def themes(ctx: Compose) -> list[Sentence]:
    out = _theme_findings(ctx)
    if not out and ctx.said.concerns:
        cs = ctx.said.concerns
        out = [ctx.s(f"Main themes: {join_list([c.label for c in cs])}.", [c.ids[0] for c in cs])]
    return out + _links(ctx)


# --- relational process ----------------------------------------------------------------------

def _relational_from_findings(ctx: Compose) -> list[Sentence]:
    out = []
    for f in ctx.kind("yes_but_chain"):
        replies = f.data.get("replies") or finding_ids(f)
        out.append(ctx.s(f"A run of suggestions from the therapist was met with \"yes, but\" replies from the client "
                         f"({len(replies)}).", finding_ids(f)))
    for f in ctx.kind("premature_advice"):
        out.append(ctx.s("Therapist offered advice before the client had asked for it.", finding_ids(f)))
    for f in ctx.kind("rupture"):
        first = finding_ids(f)[0]
        out.append(ctx.s(f"Strain in the alliance ({f.label}): client said {quote(ctx.text(first), 24)}.",
                         finding_ids(f)))
    for f in ctx.kind("repair"):
        kinds = join_list(list(f.data.get("kinds", []))) or "repair moves"
        out.append(ctx.s(f"Therapist responded with {kinds}; the exchange continued.", finding_ids(f)))
    hn = [f for f in ctx.kind("here_and_now") if f.data.get("role") == "client"]
    if hn:
        out.append(ctx.s(f"Client spoke about the relationship with the therapist in the moment: "
                         f"{quote(ctx.text(finding_ids(hn[-1])[0]), 20)}.", [finding_ids(f)[0] for f in hn[-3:]]))
    return out


def _relational_fallback(ctx: Compose) -> list[Sentence]:
    v, out = ctx.view, []
    for m in moments.yes_but(v):
        out.append(ctx.s(f"Suggestions from the therapist were met with \"yes, but\" replies from the client "
                         f"({len(m.ids)}).", m.ids))
    for m in moments.rupture_repair(v):
        if m.kind == "rupture":
            out.append(ctx.s(f"Client voiced discomfort with the direction of the session: {quote(m.data['words'])}.",
                             m.ids))
        else:
            reply = f"; client replied {quote(m.data['reply'], 10)}" if m.data["reply"] else ""
            out.append(ctx.s(f"Therapist acknowledged it ({quote(m.data['first'], 14)}){reply}.", m.ids))
    used = {i for x in out for i in x.evidence}
    for m in [m for m in moments.immediacy(v) if not used & set(m.ids)][:2]:
        out.append(ctx.s(f"Asked about the here and now ({quote(m.data['question'], 14)}), client said "
                         f"{quote(m.data['reply'], 16)}.", m.ids))
    return out


def relational(ctx: Compose) -> list[Sentence]:
    out = _relational_from_findings(ctx) or _relational_fallback(ctx)
    for m in moments.alliance(ctx.view):
        last = m.ids[-1]
        out.append(ctx.s(f"Client described their experience of the session: {quote(ctx.text(last), 18)}.", [last]))
    return out or [ctx.absent("No ruptures, repairs or here-and-now exchanges were identified in the transcript.",
                              "no_relational_events")]


# --- risk ------------------------------------------------------------------------------------------

def _screen_sentence(ctx: Compose, m: moments.Moment) -> Sentence:
    asked, reply = join_list(m.data["asked"]), quote(m.data["reply"], 24)
    if m.data["polarity"] == "no":
        return ctx.s(f"Asked directly about {asked}, client denied {asked}: {reply}.", m.ids)
    if m.data["polarity"] == "yes":
        return ctx.s(f"Asked directly about {asked}, client answered {reply}; for the clinician's assessment.", m.ids)
    return ctx.s(f"Asked directly about {asked}, client answered {reply}.", m.ids)


def _client_risk(ctx: Compose) -> list[Sentence]:
    asked_ids = {f.data.get("reply_utterance") for f in ctx.kind("risk") if f.data.get("asked_by_therapist")}
    talk = [f for f in ctx.kind("risk") if f.data.get("speaker_role") == "client"
            and finding_ids(f)[0] not in asked_ids]
    return [ctx.s(f"Client used language related to {RISK_NAMES.get(f.label, f.label.replace('_', ' '))}"
                      f"{' (negated)' if f.data.get('negated') else ''}: "
                      f"{quote(_cue_sentence(ctx.text(finding_ids(f)[0]), f.data.get('words', '')), 30)}.",
                      finding_ids(f)[:1]) for f in talk[:4]]


def _cue_sentence(text: str, words: str) -> str:
    return next((s for s in sentences(text) if words.lower() in s.lower()), text)


def risk(ctx: Compose) -> list[Sentence]:
    v = ctx.view
    if not ctx.kind("risk"):  # the risk analysis reports "not discussed": the note says the same, nothing else
        return [ctx.absent("Risk: not assessed in this session.", "no_risk_talk")]
    out = _client_risk(ctx) + [_screen_sentence(ctx, m) for m in moments.screening(v)]
    for m in moments.safety_agreement(v):
        out.append(ctx.s(f"Client agreed ({quote(m.data['reply'], 8)}) to the therapist's proposal "
                         f"{quote(proposal(m.data['proposal']), 24)}.", m.ids))
    return out
