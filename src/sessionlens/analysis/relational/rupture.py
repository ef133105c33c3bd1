"""Rupture markers: confrontation (complaints about the therapy or the therapist) and withdrawal (dismissive or
minimal answers, topic shifts, long silences the client leaves), grouped into episodes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ...domain import Evidence, Finding, Role, Transcript, Utterance
from ...payloads.findings import RuptureData
from ..silence import Silence
from ..textcues import norm, quote
from .cues import DISMISSIVE, MINIMAL, TOPIC_SHIFT, confrontation, substantive

SOURCE = "relational-rupture-v1"
EPISODE_REACH = 4  # markers within this many utterances belong to one episode
MIN_PROMPT_WORDS = 6  # a minimal answer counts only after a therapist turn of some substance
RUN = 3  # minimal answers in a row that count as withdrawal on their own


@dataclass(frozen=True, slots=True)
class Marker:
    utterance: Utterance
    kind: str  # "confrontation" | "withdrawal"
    cue: str


@dataclass
class Episode:
    markers: list[Marker]
    silences: list[Silence] = field(default_factory=list)

    @property
    def label(self) -> str:
        kinds = list(dict.fromkeys(m.kind for m in self.markers))
        return " then ".join(kinds)

    @property
    def first(self) -> Utterance:
        return self.markers[0].utterance

    @property
    def last(self) -> Utterance:
        return self.markers[-1].utterance


def rupture_markers(
    t: Transcript, silences: Sequence[Silence] = (), long_silence: float = 10.0
) -> list[Marker]:
    us = substantive(t)
    pos = {u.id: k for k, u in enumerate(us)}
    out: list[Marker] = []
    minimal_run = 0
    for i, u in enumerate(us):
        if u.role != Role.CLIENT:
            continue
        prev = us[i - 1] if i else None
        cue = confrontation(u.text)
        text = norm(u.text)
        prompt = (
            prev is not None and prev.role == Role.THERAPIST and len(prev.text.split()) >= MIN_PROMPT_WORDS
        )
        if prev is not None and prev.role == Role.THERAPIST:  # a run counts answers to therapist turns
            minimal_run = minimal_run + 1 if MINIMAL.match(text) and prompt else 0
        if cue:
            out.append(Marker(u, "confrontation", cue))
        elif DISMISSIVE.match(text) and prompt:
            out.append(Marker(u, "withdrawal", f'dismissive answer "{quote(text, 40)}"'))
        elif (
            MINIMAL.match(text)
            and out
            and out[-1].kind == "confrontation"
            and pos[u.id] - pos.get(out[-1].utterance.id, -99) <= EPISODE_REACH
        ):
            out.append(Marker(u, "withdrawal", f'minimal answer "{quote(text, 40)}" after confrontation'))
        elif minimal_run >= RUN:
            out.append(Marker(u, "withdrawal", f"{minimal_run} minimal answers in a row"))
        elif (m := TOPIC_SHIFT.search(text)) and prompt:
            out.append(Marker(u, "withdrawal", f'topic shift "{m.group(0)}"'))
    out.extend(_silence_markers(t, silences, long_silence))
    order = {u.id: k for k, u in enumerate(t.utterances)}
    return sorted(out, key=lambda m: order[m.utterance.id])


def _silence_markers(t: Transcript, silences: Sequence[Silence], long_silence: float) -> list[Marker]:
    """A long silence after a therapist turn that the therapist breaks: the client did not take the turn."""
    by_id = {u.id: u for u in t.utterances}
    out = []
    for s in silences:
        if s.duration >= long_silence and s.before_role == Role.THERAPIST and s.after_role == Role.THERAPIST:
            out.append(
                Marker(
                    by_id[s.before_utterance],
                    "withdrawal",
                    f"{s.duration:.0f} s silence after the therapist spoke, broken by the therapist",
                )
            )
    return out


def rupture_episodes(
    t: Transcript, silences: Sequence[Silence] = (), long_silence: float = 10.0
) -> list[Episode]:
    order = {u.id: k for k, u in enumerate(t.utterances)}
    episodes: list[Episode] = []
    for m in rupture_markers(t, silences, long_silence):
        if episodes and order[m.utterance.id] - order[episodes[-1].last.id] <= EPISODE_REACH:
            episodes[-1].markers.append(m)
        else:
            episodes.append(Episode([m]))
    for ep in episodes:
        lo, hi = order[ep.first.id], order[ep.last.id]
        ep.silences = [s for s in silences if lo <= order.get(s.before_utterance, -1) <= hi]
    return episodes


def rupture_finding(ep: Episode) -> Finding:
    ev = [
        Evidence((m.utterance.id,), m.utterance.start, m.utterance.end, f"{m.kind}: {m.cue}")
        for m in ep.markers
    ]
    ev += [
        Evidence((s.before_utterance, s.after_utterance), s.start, s.end, f"{s.duration:.1f} s silence")
        for s in ep.silences
    ]
    strong = any(m.kind == "confrontation" for m in ep.markers) or len(ep.markers) > 1
    explanation = "; ".join(f'{m.kind} marker at {m.utterance.id}: "{quote(m.cue, 60)}"' for m in ep.markers)
    if ep.silences:
        explanation += "; " + ", ".join(
            f"{s.duration:.1f} s silence after {s.before_utterance}" for s in ep.silences
        )
    data: RuptureData = {
        "markers": [{"utterance_id": m.utterance.id, "kind": m.kind, "cue": m.cue} for m in ep.markers],
        "silence_seconds": [s.duration for s in ep.silences],
    }
    return Finding("rupture", ep.label, 0.75 if strong else 0.5, tuple(ev), SOURCE, explanation + ".", data)
