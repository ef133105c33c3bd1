"""What each long silence followed, and who broke it — described, never judged.

A silence after a therapist question or reflection may have given room to process; after an emotional
disclosure it may have held a feeling; after disagreement or confrontation it may mark withdrawal. The
wording says "may": the transcript shows what came before and after, not what the silence meant.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..domain import Evidence, Finding, Role, Transcript, Utterance
from ..payloads.findings import SilenceContextData
from .relational.cues import confrontation, is_suggestion, yes_but
from .silence import Silence
from .textcues import compile_cues, is_question, norm, quote

SOURCE = "silence-context-v1"
EMOTION_INTENSITY = (
    0.5  # emotion-model intensity (1 − P(neutral)) above which a client turn counts as emotional
)
DISCLOSURE = compile_cues(
    [
        r"died",
        r"passed away",
        r"funeral",
        r"cry\w*",
        r"cried",
        r"tears",
        r"scared",
        r"afraid",
        r"ashamed",
        r"guilt\w*",
        r"miss (?:him|her|them)",
        r"lost (?:him|her|my)",
        r"hurts?",
        r"alone",
        r"never told",
        r"haven'?t (?:told|said)",
        r"abus\w*",
        r"grief",
        r"every day",
        r"(?:can'?t|couldn'?t) bring myself",
    ]
)
REFLECTION = compile_cues(
    [
        r"(?:it )?sounds like",
        r"so you",
        r"you(?:'re| are) (?:feeling|saying|wondering)",
        r"part of you",
        r"you (?:feel|felt|wish|want|miss|care|know)",
        r"it seems",
        r"a lot of",
        r"you've",
        r"you're",
    ]
)

CONTEXTS = {
    "question": ("after a therapist question", "may have given room to think"),
    "reflection": ("after a therapist reflection", "may have given room to process"),
    "therapist statement": ("after a therapist statement", ""),
    "suggestion": ("after a therapist suggestion", ""),
    "emotional disclosure": ("after an emotional disclosure", "may have held a feeling"),
    "disagreement": ("after disagreement or confrontation", "possible withdrawal"),
    "pause within turn": ("a pause inside one speaker's turn", ""),
    "client statement": ("after a client statement", ""),
}


@dataclass(frozen=True, slots=True)
class SilenceContext:
    silence: Silence
    context: str  # a key of CONTEXTS
    cue: str  # what in the utterance before points to that context
    broken_by: str  # role value of whoever spoke next


def classify(
    before: Utterance, previous: Sequence[Utterance], intensity: float | None, within_turn: bool
) -> tuple[str, str]:
    """(context key, cue) for the utterance a silence followed; ``previous`` are the few turns before it."""
    text = norm(before.text)
    if before.role == Role.CLIENT:
        if cue := confrontation(text) or yes_but(text):
            return "disagreement", cue
        if any(u.role == Role.CLIENT and confrontation(u.text) for u in previous[-2:]):
            return "disagreement", "confrontation just before"
        m = DISCLOSURE.search(text)
        if intensity is not None and intensity >= EMOTION_INTENSITY:
            return "emotional disclosure", f"emotion intensity {intensity:.2f}" + (
                f', "{m.group(0)}"' if m else ""
            )
        if m:
            return "emotional disclosure", m.group(0)
    if within_turn:
        return "pause within turn", ""
    if before.role == Role.THERAPIST:
        if is_question(text):
            return "question", "ends with a question"
        if cue := is_suggestion(text):
            return "suggestion", cue
        if m := REFLECTION.search(text):
            return "reflection", m.group(0)
        return "therapist statement", ""
    return "client statement", ""


def describe_silences(
    t: Transcript, silences: Sequence[Silence], intensity: Mapping[str, float] | None = None
) -> list[SilenceContext]:
    index = {u.id: i for i, u in enumerate(t.utterances)}
    out = []
    for s in silences:
        i = index.get(s.before_utterance)
        if i is None:
            continue
        before = t.utterances[i]
        ctx, cue = classify(
            before, t.utterances[max(0, i - 3) : i], (intensity or {}).get(before.id), s.within_turn
        )
        out.append(SilenceContext(s, ctx, cue, s.after_role.value))
    return out


def sentence(c: SilenceContext) -> str:
    where, maybe = CONTEXTS[c.context]
    s = c.silence
    who = "the same speaker went on" if s.within_turn else f"the {c.broken_by} broke it"
    text = f"{s.duration:.1f} s silence {where}; {who}"
    return text + (f" ({maybe})." if maybe else ".")


def silence_finding(c: SilenceContext, t: Transcript) -> Finding:
    s = c.silence
    by_id = {u.id: u for u in t.utterances}
    before, after = by_id[s.before_utterance], by_id[s.after_utterance]
    explanation = (
        sentence(c) + (f' Cue: "{c.cue}".' if c.cue else "") + f' Before: "{quote(before.text, 80)}"'
    )
    ev = (Evidence((before.id, after.id), s.start, s.end, f"{s.duration:.1f} s"),)
    conf = 0.7 if c.cue else 0.5
    data: SilenceContextData = {
        "context": c.context,
        "broken_by": c.broken_by,
        "duration": s.duration,
        "cue": c.cue,
        "before_role": s.before_role.value,
        "within_turn": s.within_turn,
    }
    return Finding("silence_context", CONTEXTS[c.context][0], conf, ev, SOURCE, explanation, data)
