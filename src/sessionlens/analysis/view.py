"""The transcript as the statement detectors read it: each utterance with the neighbours a rule needs
(the previous therapist turn, the next client turn) and the topics it names."""

from __future__ import annotations

from collections.abc import Sequence

from ..domain import Evidence, Finding, Role, Transcript, Utterance
from .statement_cues import TOPICS


def topics_of(text: str) -> tuple[str, ...]:
    return tuple(k for k, (_, rx) in TOPICS.items() if rx.search(text))


class View:
    """The transcript with the neighbours a rule needs: previous therapist turn, next client turn."""

    def __init__(self, t: Transcript) -> None:
        self.utts: tuple[Utterance, ...] = t.utterances
        self.index = {u.id: i for i, u in enumerate(self.utts)}
        self._topics: dict[int, tuple[str, ...]] = {}

    def topics_at(self, i: int) -> tuple[str, ...]:
        """The topics utterance ``i`` names (computed on first use: most readers need a few)."""
        if i not in self._topics:
            self._topics[i] = topics_of(self.utts[i].text)
        return self._topics[i]

    def prev_therapist(self, i: int, reach: int = 2) -> Utterance | None:
        for j in range(i - 1, max(-1, i - 1 - reach), -1):
            if self.utts[j].role == Role.THERAPIST:
                return self.utts[j]
            if self.utts[j].role == Role.CLIENT:
                return None
        return None

    def prompt_before(self, i: int, reach: int = 4) -> Utterance | None:
        """The therapist's last substantive utterance before ``i``: a backchannel ("Mm-hmm.", "Okay.")
        and the client's own run-on turns are stepped over, within ``reach`` utterances."""
        for j in range(i - 1, max(-1, i - 1 - reach), -1):
            u = self.utts[j]
            if u.role == Role.THERAPIST and (len(u.text.split()) > 3 or "?" in u.text):
                return u
        return None

    def next_client(self, i: int, reach: int = 2) -> Utterance | None:
        for j in range(i + 1, min(len(self.utts), i + 1 + reach)):
            if self.utts[j].role == Role.CLIENT:
                return self.utts[j]
        return None

    def clients(self) -> list[tuple[int, Utterance]]:
        return [(i, u) for i, u in enumerate(self.utts) if u.role == Role.CLIENT]

    def therapists(self) -> list[tuple[int, Utterance]]:
        return [(i, u) for i, u in enumerate(self.utts) if u.role == Role.THERAPIST]

    def topic_near(self, i: int, reach: int = 6) -> str:
        """The topic most talked about in the few utterances up to ``i`` ("" if none)."""
        counts: dict[str, int] = {}
        for j in range(max(0, i - reach), i + 1):
            for k in self.topics_at(j):
                counts[k] = counts.get(k, 0) + 1 + (j == i)
        return max(counts, key=lambda k: (counts[k], k)) if counts else ""

    def in_order(self, ids: Sequence[str]) -> tuple[str, ...]:
        return tuple(sorted(set(ids), key=lambda x: self.index.get(x, 1 << 30)))


def statement(v: View, kind: str, label: str, ids: Sequence[str], source: str, explanation: str,
              confidence: float = 0.6, **data: object) -> Finding:
    """A finding over utterances ``ids`` (put in transcript order), their span as its evidence."""
    ordered = v.in_order([i for i in ids if i in v.index])
    utts = [v.utts[v.index[i]] for i in ordered]
    starts = [u.start for u in utts if u.start is not None]
    ends = [t for t in (u.end if u.end is not None else u.start for u in utts) if t is not None]
    ev = Evidence(ordered, min(starts) if starts else None, max(ends) if ends else None)
    return Finding(kind, label, confidence, (ev,), source, explanation, dict(data))
