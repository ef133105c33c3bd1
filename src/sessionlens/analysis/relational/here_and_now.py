"""Here-and-now talk: about the present moment in the room or about the therapeutic relationship itself."""

from __future__ import annotations

from ...domain import Evidence, Finding, Transcript, Utterance
from ...payloads.findings import HereAndNowData
from ..textcues import norm
from .cues import EXPERIENTIAL, HERE_AND_NOW

SOURCE = "relational-here-and-now-v1"


def here_and_now_cues(u: Utterance) -> dict[str, list[str]]:
    text = norm(u.text)
    found = {label: [m.group(0) for m in rx.finditer(text)] for label, rx in HERE_AND_NOW.items()}
    present = found["the present moment"]
    # "busy right now at work" is not about the room: a present-moment cue needs an experiential word beside it
    if present and not found["the relationship"] and not _experiential(text, present):
        found["the present moment"] = []
    return {k: v for k, v in found.items() if v}


def _experiential(text: str, cues: list[str]) -> bool:
    rest = text.lower()
    for c in cues:
        rest = rest.replace(c.lower(), " ")
    return bool(EXPERIENTIAL.search(rest))


def here_and_now_findings(t: Transcript) -> list[Finding]:
    out = []
    for u in t.utterances:
        cues = here_and_now_cues(u)
        if not cues:
            continue
        label = " and ".join(cues)
        words = [w for ws in cues.values() for w in ws]
        conf = 0.75 if len(cues) > 1 or "the relationship" in cues else 0.55
        out.append(
            Finding(
                "here_and_now",
                label,
                conf,
                (Evidence((u.id,), u.start, u.end, u.role.value),),
                SOURCE,
                f"{u.role.value} spoke about {label}: " + ", ".join(f'"{w}"' for w in words) + ".",
                HereAndNowData(role=u.role.value, cues=words),
            )
        )
    return out
