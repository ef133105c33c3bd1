"""Relational moments: "yes, but" chains, ruptures and repairs, here-and-now talk, client-initiated topics,
therapist self-disclosure and tense focus. Each detector is a pure function over the transcript."""

from __future__ import annotations

from collections.abc import Sequence

from ...domain import Finding, Transcript
from ...payloads.analysis_relational import RelationalMetrics
from ..silence import Silence
from .here_and_now import here_and_now_findings
from .repair import repair_findings
from .rupture import rupture_episodes, rupture_finding
from .self_disclosure import self_disclosure_findings
from .tense import tense_focus
from .topics import client_topic_findings
from .yes_but import chain_finding, yes_but_chains, yes_but_pairs


def relational_moments(
    t: Transcript, silences: Sequence[Silence] = (), long_silence: float = 10.0
) -> tuple[list[Finding], RelationalMetrics]:
    """All relational findings and the metrics that summarise them."""
    chains = yes_but_chains(t)
    episodes = rupture_episodes(t, silences, long_silence)
    findings: list[Finding] = [chain_finding(c, t) for c in chains]
    findings += [rupture_finding(ep) for ep in episodes]
    repairs = repair_findings(t, episodes)
    findings += repairs
    findings += here_and_now_findings(t)
    findings += client_topic_findings(t)
    findings += self_disclosure_findings(t)
    counts = {
        k: sum(f.kind == k for f in findings)
        for k in (
            "yes_but_chain",
            "rupture",
            "repair",
            "here_and_now",
            "client_initiated_topic",
            "self_disclosure",
        )
    }
    counts["yes_but_replies"] = len(yes_but_pairs(t))
    metrics: RelationalMetrics = {
        "counts": counts,
        "tense_focus": tense_focus(t),
        "ruptures_followed_by_repair": len({f.data["rupture_utterance"] for f in repairs}),
        "moments": [
            {
                "kind": f.kind,
                "label": f.label,
                "start": f.evidence[0].start,
                "utterance_ids": list(f.evidence[0].utterance_ids),
            }
            for f in findings
            if f.kind in ("yes_but_chain", "rupture", "repair")
        ],
        "client_initiated_topics": [f.label for f in findings if f.kind == "client_initiated_topic"],
    }
    return findings, metrics


__all__ = ["relational_moments", "tense_focus"]
