"""Slots written from the session as a whole: observations, mental status, interventions, response,
themes, relational process and risk, each from the analyzers' findings (techniques, codes, client
talk, themes, topic links, relational events, risk and safety questions). Interventions are named
as a clinician names them, never counted."""

from __future__ import annotations

from collections import Counter

from ..analysis import statement_cues as cues
from ..domain import Finding
from .compose import Compose, finding_ids
from .model import Sentence
from .slots_client import mood, paraphrase, proposal_clause
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
    client = ctx.metrics["talk_time"].get("client")
    share = client["share"] if client else None
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
    cues_seen = ctx.kind("nonverbal")
    peaks = ctx.kind("emotion_peak")
    out = []
    if cues_seen:
        names = list(dict.fromkeys(f.label for f in cues_seen))
        out.append(ctx.s(f"Affect: the transcript records {join_list(names)} from the client.",
                         [finding_ids(f)[0] for f in cues_seen]))
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
    """The coder's most used therapist behaviours, named (the counts stay in the session data)."""
    codes = ctx.kind("therapist_behaviour")
    if not codes:
        return []
    top = [k for k, _ in Counter(f.label for f in codes).most_common(3)]
    names = [CODE_NAMES.get(k, k.replace("_", " ")) for k in top]
    ids = [finding_ids(next(f for f in codes if f.label == k))[0] for k in top]
    return [ctx.s(f"Therapist's coded behaviours were mostly {join_list(names)}.", ids)]


TECHNIQUE_PHRASES = {
    "agenda setting": "set a shared agenda", "scaling question": "used a scaling question",
    "affirmation": "affirmed the client's efforts and values",
    "here-and-now invitation": "invited reflection on the session in the moment",
    "decisional balance": "used an MI decisional-balance exercise",
    "thought record": "worked through a CBT thought record", "direct suggestions": "offered direct suggestions"}


def _technique(ctx: Compose, f: Finding) -> str:
    """A technique as a clinician names it (a verb phrase), with what it was about where the analysis says."""
    d = f.data
    if f.label in ("open questions and reflective listening", "open questions", "reflective listening"):
        topics = _topics(list(d.get("topics", []))[:2])
        return f"used {f.label} to explore {topics}" if topics else f"used {f.label}"
    if f.label == "information shared with permission":
        topics = _topics(list(d.get("topics", []))[:2])
        return f"shared information about {topics} after asking permission" if topics else \
            "shared information after asking permission"
    if f.label == "direct suggestions" and d.get("topic"):
        return f"offered direct suggestions about {_topics([d['topic']])}"
    return TECHNIQUE_PHRASES.get(f.label, f"used {f.label}")


def interventions(ctx: Compose) -> list[Sentence]:
    """One sentence naming what the therapist did (clinical names, no counts), then the safety questions
    and the plan the therapist set or checked."""
    found = ctx.kind("technique")
    out = [] if found else coded_mix(ctx)
    if found:
        names = list(dict.fromkeys(_technique(ctx, f) for f in found))
        out.append(ctx.s(f"Therapist {join_list(names)}.", [finding_ids(f)[0] for f in found]))
    screened = ctx.kind("safety_screen")
    if screened:
        asked = list(dict.fromkeys(a for f in screened for a in f.data.get("asked", [])))
        out.append(ctx.s(f"Therapist asked directly about {join_list(asked)}.", [finding_ids(f)[0] for f in screened]))
    homework = [f for f in ctx.kind("plan") if f.label == "homework"]
    planning = [f for f in ctx.kind("plan") if f.data.get("form") in ("answer", "summary")]
    if homework:
        out.append(ctx.s("Therapist set homework with the client.", [finding_ids(f)[0] for f in homework][:3]))
    elif planning:
        out.append(ctx.s("Therapist summarised what the client would do and checked it with them.",
                         [finding_ids(f)[0] for f in planning][:3]))
    return out


def _voiced(ctx: Compose, lead: str, words: str, ids: tuple[str, ...] | list[str]) -> Sentence:
    """'<lead> that they ...' when the client's first sentence paraphrases, else their words quoted."""
    first = next(iter(sentences(words)), words)
    p = paraphrase(first)
    return ctx.s(f"{lead} that {p}." if p else f"{lead}: {quote(words)}.", ids)


def response(ctx: Compose) -> list[Sentence]:
    out = []
    talk = [f for f in ctx.kind("client_talk") if f.label in ("change", "sustain")]
    kinds = {f.label for f in talk}
    if kinds:
        what = "both change talk and sustain talk" if len(kinds) == 2 else f"{next(iter(kinds))} talk"
        out.append(ctx.s(f"Client voiced {what}.", [finding_ids(f)[0] for f in talk][:6]))
    for s in ctx.said.insight[:3]:
        out.append(_voiced(ctx, "Client reflected", s.words, s.ids))
    for f in ctx.kind("closing_feeling")[:1]:
        out.append(_voiced(ctx, "At the close of the session client said", str(f.data.get("words", "")),
                           finding_ids(f)))
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


def _links(ctx: Compose) -> list[Sentence]:
    """Client statements that connect two topics ("It's been more since the promotion")."""
    out = []
    for f in ctx.kind("topic_link"):
        ks = list(f.data.get("topics", []))
        out.append(ctx.s(f"Client linked {_topics(ks[:1])} with {_topics(ks[1:3])}: "
                         f"{quote(str(f.data.get('words', '')), 24)}.", finding_ids(f)))
    return out


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
        out.append(ctx.s(f"A run of {'two' if len(replies) == 2 else 'several'} suggestions from the therapist was met "
                         f"with \"yes, but\" replies from the client.", finding_ids(f)))
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


def relational(ctx: Compose) -> list[Sentence]:
    out = _relational_from_findings(ctx)
    used = {i for x in out for i in x.evidence}
    for f in ctx.kind("alliance")[:1]:
        last = [i for i in finding_ids(f) if i not in used][-1:]
        if last:
            out.append(_voiced(ctx, "Client described their experience of the session", ctx.text(last[0]), last))
    return out or [ctx.absent("No ruptures, repairs or here-and-now exchanges were identified in the transcript.",
                              "no_relational_events")]


# --- risk ------------------------------------------------------------------------------------------

def _screen_sentences(ctx: Compose) -> list[Sentence]:
    """The safety questions: the denials together in one sentence (one quote), the rest one by one."""
    screens = ctx.kind("safety_screen")
    denied = [f for f in screens if f.data.get("polarity") == "no"]
    out = []
    if denied:
        asked = join_list(list(dict.fromkeys(a for f in denied for a in f.data.get("asked", []))))
        reply = quote(str(denied[0].data.get("reply", "")), 16)
        out.append(ctx.s(f"Asked directly about {asked}, client denied {asked}: {reply}.",
                         [i for f in denied for i in finding_ids(f)]))
    for f in (f for f in screens if f.data.get("polarity") != "no"):
        asked, reply = join_list(list(f.data.get("asked", []))), quote(str(f.data.get("reply", "")), 24)
        tail = "; for the clinician's assessment" if f.data.get("polarity") == "yes" else ""
        out.append(ctx.s(f"Asked directly about {asked}, client answered {reply}{tail}.", finding_ids(f)))
    return out


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
    if not ctx.kind("risk"):  # the risk analysis reports "not discussed": the note says the same, nothing else
        return [ctx.absent("Risk: not assessed in this session.", "no_risk_talk")]
    out = _client_risk(ctx) + _screen_sentences(ctx)
    for f in ctx.kind("plan"):
        if f.data.get("form") == "safety":
            out.append(ctx.s(f"Client agreed to a safety step: {proposal_clause(str(f.data.get('prompt', '')))}.",
                             finding_ids(f)))
    return out
