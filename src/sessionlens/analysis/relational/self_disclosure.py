"""Therapist self-disclosure: personal information, or the therapist's own reaction in the moment."""

from __future__ import annotations

from ...domain import Evidence, Finding, Role, Transcript
from ...payloads.findings import SelfDisclosureData
from ..textcues import norm
from .cues import SELF_DISCLOSURE

SOURCE = "relational-self-disclosure-v1"


def self_disclosure_findings(t: Transcript) -> list[Finding]:
    out = []
    for u in t.utterances:
        if u.role != Role.THERAPIST:
            continue
        text = norm(u.text)
        for label, rx in SELF_DISCLOSURE.items():
            words = [m.group(0) for m in rx.finditer(text)]
            if words:
                out.append(
                    Finding(
                        "self_disclosure",
                        label,
                        0.6,
                        (Evidence((u.id,), u.start, u.end, ""),),
                        SOURCE,
                        "therapist used first-person cue(s): " + ", ".join(f'"{w}"' for w in words) + ".",
                        SelfDisclosureData(cues=words),
                    )
                )
                break
    return out
