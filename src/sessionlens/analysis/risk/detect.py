"""Find risk language in a transcript: high-recall flags for the clinician's review, never a verdict.

Every flag quotes the exact words with their times and says whether they were negated ("I would never
hurt myself" is still a mention of self-harm, marked negated), hypothetical, reported from someone
else, or asked by the therapist. When nothing is found the summary says "not discussed" — which is
not the same as "no risk", and the product never says the latter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ...domain import Evidence, Finding, Role, Transcript, Utterance
from ...payloads.findings import RiskData
from ...payloads.metrics import RiskCategory, RiskSummary
from ..textcues import Hit, is_question, mostly_english, negator_before, norm, span_times
from .lexicon import (
    CATEGORIES,
    CATEGORY_NAMES,
    DENIAL,
    HYPOTHETICAL,
    IDIOMS,
    REPORTED,
    STRENGTH_CONFIDENCE,
    SUICIDAL_IDEATION,
)
from .combine import model_flags
from .model import MODEL_ID, ModelScore, load_model, score_texts
from .rules import Rule, load_rules

SOURCE = "risk-rules-v3"  # each finding also names its rule ids (data["rules"]) from rules.json
CONTEXT_REACH = 4  # utterances within which a plan/means word counts as suicidal-ideation context
NOT_DISCUSSED = "not discussed"
NOT_ASSESSED = "not assessed"  # the transcript does not look English; the lexicons are English only
MENTIONED = "mentioned — for review"


@dataclass(frozen=True, slots=True)
class RiskHit:
    utterance: Utterance
    category: str
    strength: str
    hit: Hit
    negated: str | None  # the negating word, if any
    hypothetical: bool
    reported: bool
    rules: tuple[str, ...] = ()  # ids of the rules whose matches make up this quote
    model: ModelScore | None = None  # the model's score and nearest concept, for a model hit


# (category, strength, hit, rule ids): one cue match, or overlapping matches of one category merged
Found = tuple[str, str, Hit, tuple[str, ...]]


@cache
def _tiers() -> tuple[tuple[Rule, ...], tuple[Rule, ...], re.Pattern[str]]:
    """Fixed rules, broad rules, and one prefilter over the fixed ones (most text holds no cue)."""
    rules = load_rules()
    fixed = tuple(r for r in rules if r.tier != "broad")
    prefilter = re.compile(r"\b(?:" + "|".join(r.pattern for r in fixed) + r")\b", re.IGNORECASE)
    return fixed, tuple(r for r in rules if r.tier == "broad"), prefilter


def scan_text(text: str) -> list[Found]:
    """(category, strength, hit, rule ids) for every risk cue in ``text`` not inside an idiom; overlaps keep
    the strongest.

    Broad-tier hits (concept co-occurrence, see ``broad``) are added only where no fixed cue of the same
    category already covers that part of the text, so quotes stay short when a fixed cue fired.
    """
    t = norm(text)
    if not t:
        return []
    idioms = [(m.start(), m.end()) for m in IDIOMS.finditer(t)]
    fixed_rules, broad_rules, prefilter = _tiers()
    strong = _merge(t, _matches(t, fixed_rules, idioms) if prefilter.search(t) else [])
    broad = _matches(t, broad_rules, idioms)
    fixed = [
        k for k in strong if k[1] != "context"
    ]  # context cues may be dropped later; broad ones stand alone
    broad = [
        b
        for b in _merge(t, broad)
        if not any(k[0] == b[0] and k[2].start < b[2].end and b[2].start < k[2].end for k in fixed)
    ]
    return sorted(strong + broad, key=lambda f: (f[2].start, f[0]))


def _matches(t: str, rules: tuple[Rule, ...], idioms: list[tuple[int, int]]) -> list[Found]:
    return [
        (r.concept, r.tier, Hit(r.concept, m.group(0), m.start(), m.end()), (r.id,))
        for r in rules
        for m in r.rx.finditer(t)
        if not _in_idiom(m, idioms)
    ]


def _in_idiom(m: re.Match[str], idioms: list[tuple[int, int]]) -> bool:
    return any(s < m.end() and m.start() < e for s, e in idioms)


def _merge(text: str, found: list[Found]) -> list[Found]:
    """Overlapping hits of one category become one span (quoted whole) with the strongest strength."""
    order = {"explicit": 0, "indirect": 1, "context": 2, "broad": 3}
    found.sort(key=lambda f: (f[0], f[2].start))
    merged: list[Found] = []
    for cat, strength, h, ids in found:
        if merged and merged[-1][0] == cat and h.start < merged[-1][2].end:
            _, s0, h0, ids0 = merged[-1]
            start, end = h0.start, max(h0.end, h.end)
            best = s0 if order[s0] <= order[strength] else strength
            both = ids0 + tuple(i for i in ids if i not in ids0)
            merged[-1] = (cat, best, Hit(cat, text[start:end], start, end), both)
        else:
            merged.append((cat, strength, h, ids))
    return sorted(merged, key=lambda f: (f[2].start, f[0]))


def scan_utterance(u: Utterance) -> list[RiskHit]:
    t = norm(u.text)
    hits = []
    for cat, strength, h, ids in scan_text(u.text):
        neg = negator_before(t, h.start) or _denial_before(t, h.start)
        clause = t[max(0, h.start - 60) : h.start]
        hits.append(
            RiskHit(
                u, cat, strength, h, neg, bool(HYPOTHETICAL.search(clause)), bool(REPORTED.search(clause)), ids
            )
        )
    return hits


def _denial_before(text: str, start: int) -> str | None:
    last = None
    for last in DENIAL.finditer(text[max(0, start - 40) : start]):  # noqa: B007 - the last match is wanted
        pass
    return last.group(0) if last else None


def find_risk(t: Transcript, model: bool = False) -> list[RiskHit]:
    """All risk hits; plan/means words count only within CONTEXT_REACH utterances of another ideation cue.

    With ``model`` (the ``risk_model`` setting), utterances no rule flags may get one hit of strength "model"
    quoting the whole utterance (the model cannot point at words or see negation); which ones is decided by
    ``combine.model_flags``, and each carries its score and nearest concept."""
    per_utt = [scan_utterance(u) for u in t.utterances]
    anchors = [
        i
        for i, hs in enumerate(per_utt)
        if any(h.category == SUICIDAL_IDEATION and h.strength != "context" for h in hs)
    ]
    out: list[RiskHit] = []
    for i, hs in enumerate(per_utt):
        near = any(abs(i - a) <= CONTEXT_REACH for a in anchors)
        out.extend(h for h in hs if h.strength != "context" or near)
    if model:
        out.extend(_model_hits(t.utterances, {h.utterance.id for h in out}))
        order = {u.id: i for i, u in enumerate(t.utterances)}
        out.sort(key=lambda h: (order[h.utterance.id], h.hit.start))
    return out


def _model_hits(utts: tuple[Utterance, ...], flagged: set[str]) -> list[RiskHit]:
    m = load_model()
    todo = [i for i, u in enumerate(utts) if u.id not in flagged and u.role != Role.THERAPIST and norm(u.text)]
    scored: dict[int, ModelScore] = dict(zip(todo, score_texts([utts[i].text for i in todo]), strict=True))
    scores = [scored[i].score if i in scored else None for i in range(len(utts))]
    hits = []
    ruled, therapist = [u.id in flagged for u in utts], [u.role == Role.THERAPIST for u in utts]
    for i in model_flags(scores, ruled, therapist, m.threshold, m.strict_threshold):
        u, s = utts[i], scored[i]  # model_flags returns only scored utterances
        t = norm(u.text)
        clause = t[:60]
        hits.append(RiskHit(u, s.concept, "model", Hit(s.concept, t, 0, len(t)), None,
                            bool(HYPOTHETICAL.search(clause)), bool(REPORTED.search(clause)), (MODEL_ID,), s))
    return hits


def to_finding(h: RiskHit, reply: Utterance | None) -> Finding:
    u = h.utterance
    start, end, exact = span_times(u, h.hit.start, h.hit.end)
    asked = u.role == Role.THERAPIST and is_question(u.text)
    data: RiskData = {
        "category": h.category,
        "negated": h.negated is not None,
        "words": h.hit.words,
        "strength": h.strength,
        "rules": list(h.rules),
        "hypothetical": h.hypothetical,
        "reported": h.reported,
        "speaker_role": u.role.value,
        "asked_by_therapist": asked,
        "word_times": "exact" if exact else "estimated",
    }
    if h.model is not None:
        data["model_score"] = round(h.model.score, 3)
        data["nearest_example"] = h.model.nearest
    ev = [Evidence((u.id,), start, end, f'"{h.hit.words}"')]
    if asked and reply is not None:
        data["reply_utterance"] = reply.id
        ev.append(Evidence((reply.id,), reply.start, reply.end, "the reply that followed"))
    confidence = round(h.model.score, 3) if h.model is not None else STRENGTH_CONFIDENCE[h.strength]
    return Finding("risk", h.category, confidence, tuple(ev), SOURCE, _explain(h, asked), data)


def _explain(h: RiskHit, asked: bool) -> str:
    if h.model is not None:
        m = h.model
        parts = [f"needs review, not a diagnosis: the risk model ({MODEL_ID}) scores this utterance {m.score:.2f}; "
                 f"nearest concept {CATEGORY_NAMES[h.category]} (closest written example, similarity "
                 f'{m.similarity:.2f}: "{m.nearest}"); no rule matched, so no words are singled out and negation '
                 "was not checked"]
    else:
        parts = [f'{h.strength} {CATEGORY_NAMES[h.category]} cue "{h.hit.words}" (rule {", ".join(h.rules)})']
    if asked:
        parts.append("asked by the therapist")
    if h.negated:
        parts.append(f'negated ("{h.negated}" before it)')
    if h.hypothetical:
        parts.append("hypothetical wording nearby")
    if h.reported:
        parts.append("reported from someone else")
    return "; ".join(parts) + ". For review."


def risk_findings(t: Transcript, model: bool = False) -> tuple[list[Finding], RiskSummary]:
    """Findings (kind "risk") and a metrics summary whose status is "not discussed" when nothing was found;
    ``model``: add the model tier's flags (see ``find_risk``)."""
    hits = find_risk(t, model)
    index = {u.id: i for i, u in enumerate(t.utterances)}
    findings = [to_finding(h, _reply(t, index[h.utterance.id])) for h in hits]
    summary = summarise(hits)
    if not hits and not mostly_english(u.text for u in t.utterances if u.text.strip()):
        summary["status"] = NOT_ASSESSED
        summary["note"] = (
            "The transcript does not look like English and the risk word lists are English only: "
            "risk language was not assessed. Review the transcript itself."
        )
        for c in summary["categories"].values():
            c["status"] = NOT_ASSESSED
    return findings, summary


def _reply(t: Transcript, i: int) -> Utterance | None:
    for u in t.utterances[i + 1 : i + 4]:
        if u.role != Role.THERAPIST:
            return u
    return None


def summarise(hits: list[RiskHit]) -> RiskSummary:
    cats: dict[str, RiskCategory] = {}
    for cat in CATEGORIES:
        mine = [h for h in hits if h.category == cat]
        cats[cat] = {
            "status": MENTIONED if mine else NOT_DISCUSSED,
            "mentions": len(mine),
            "negated": sum(h.negated is not None for h in mine),
            "by_client": sum(h.utterance.role == Role.CLIENT for h in mine),
            "asked_by_therapist": sum(
                h.utterance.role == Role.THERAPIST and is_question(h.utterance.text) for h in mine
            ),
        }
    return {
        "status": MENTIONED if hits else NOT_DISCUSSED,
        "mentions": len(hits),
        "categories": cats,
        "note": 'Flags are for the clinician\'s review. "Not discussed" means none of the words this tool '
        "looks for appeared in the transcript; it does not say that risk is absent.",
    }
