"""Repair attempts after a rupture: the therapist acknowledging it, exploring it, or handing back control."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...domain import Finding, Role, Transcript, Utterance
from ...payloads.findings import RepairData
from ..textcues import evidence, norm
from .cues import REPAIR
from .rupture import Episode

SOURCE = "relational-repair-v1"
REACH = 8  # utterances after the rupture's last marker searched for repair moves


@dataclass(frozen=True, slots=True)
class Move:
    utterance: Utterance
    kind: str
    cue: str


def repair_moves(t: Transcript, episode: Episode, index: dict[str, int]) -> list[Move]:
    start = index[episode.first.id] + 1
    end = index[episode.last.id] + 1 + REACH
    moves = []
    for u in t.utterances[start:end]:
        if u.role != Role.THERAPIST:
            continue
        text = norm(u.text)
        for kind, rx in REPAIR.items():
            if m := rx.search(text):
                moves.append(Move(u, kind, m.group(0)))
    return moves


def repair_finding(t: Transcript, episode: Episode, moves: Sequence[Move], index: dict[str, int]) -> Finding:
    lo = index[moves[0].utterance.id]
    hi = index[moves[-1].utterance.id]
    # include the client's answer to the last repair move, so the clinician sees how it landed
    if hi + 1 < len(t.utterances) and t.utterances[hi + 1].role == Role.CLIENT:
        hi += 1
    span = t.utterances[lo : hi + 1]
    kinds = list(dict.fromkeys(m.kind for m in moves))
    explanation = (
        f"after the rupture at {episode.first.id}: "
        + "; ".join(f'{m.kind} at {m.utterance.id} ("{m.cue}")' for m in moves)
        + "."
    )
    conf = round(min(0.9, 0.45 + 0.15 * len(kinds)), 2)
    data: RepairData = {
        "rupture_utterance": episode.first.id,
        "moves": [{"utterance_id": m.utterance.id, "kind": m.kind, "cue": m.cue} for m in moves],
        "kinds": kinds,
    }
    return Finding(
        "repair", "repair attempt", conf, (evidence(span, ", ".join(kinds)),), SOURCE, explanation, data
    )


def repair_findings(t: Transcript, episodes: Sequence[Episode]) -> list[Finding]:
    index = {u.id: i for i, u in enumerate(t.utterances)}
    out = []
    for ep in episodes:
        moves = repair_moves(t, ep, index)
        if moves:
            out.append(repair_finding(t, ep, moves, index))
    return out
