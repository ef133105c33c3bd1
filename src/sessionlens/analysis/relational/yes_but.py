"""'Yes, but' chains: successive therapist suggestions, each met by the client with agreement followed by "but"."""

from __future__ import annotations

from dataclasses import dataclass

from ...domain import Finding, Role, Transcript, Utterance
from ...payloads.findings import YesButData
from ..textcues import evidence, quote
from .cues import is_suggestion, substantive, yes_but

SOURCE = "relational-yes-but-v1"
MAX_GAP = 2  # substantive utterances allowed between one pair's reply and the next suggestion
MIN_PAIRS = 2  # a chain is two or more suggestion / "yes, but" pairs


@dataclass(frozen=True, slots=True)
class Pair:
    suggestion: Utterance
    reply: Utterance
    suggestion_cue: str
    reply_cue: str


def yes_but_pairs(t: Transcript) -> list[tuple[int, Pair]]:
    """(position among substantive utterances, pair) for each suggestion answered by "yes, but"."""
    us = substantive(t)
    out = []
    for i, (a, b) in enumerate(zip(us, us[1:])):
        if a.role != Role.THERAPIST or b.role != Role.CLIENT:
            continue
        s_cue, r_cue = is_suggestion(a.text), yes_but(b.text)
        if s_cue and r_cue:
            out.append((i, Pair(a, b, s_cue, r_cue)))
    return out


def yes_but_chains(t: Transcript) -> list[list[Pair]]:
    chains: list[list[Pair]] = []
    last = -10
    for i, pair in yes_but_pairs(t):
        if chains and i - (last + 1) <= MAX_GAP:
            chains[-1].append(pair)
        else:
            chains.append([pair])
        last = i
    return [c for c in chains if len(c) >= MIN_PAIRS]


def chain_finding(chain: list[Pair], t: Transcript) -> Finding:
    first, last = chain[0].suggestion, chain[-1].reply
    index = {u.id: i for i, u in enumerate(t.utterances)}
    span = t.utterances[index[first.id] : index[last.id] + 1]
    cues = "; ".join(f'"{quote(p.suggestion_cue, 40)}" → "{quote(p.reply_cue, 40)}"' for p in chain)
    explanation = (
        f'{len(chain)} suggestions in a row were each answered with agreement followed by "but": {cues}.'
    )
    conf = round(min(0.9, 0.5 + 0.15 * (len(chain) - 1)), 2)
    data: YesButData = {
        "pairs": len(chain),
        "suggestions": [p.suggestion.id for p in chain],
        "replies": [p.reply.id for p in chain],
    }
    return Finding(
        "yes_but_chain",
        "yes, but chain",
        conf,
        (evidence(span, f"{len(chain)} suggestion/reply pairs"),),
        SOURCE,
        explanation,
        data,
    )
