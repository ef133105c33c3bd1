"""Premature advice: advice or information given before the client's concern was reflected back.

Rule over the codes: for each therapist turn coded input with sub-code advice or information,
look at the client's substantive turns since the therapist's last reflection (within a window).
If there are some, none of them has been reflected yet, and the client did not just ask for
advice or information, the turn is flagged with the unreflected client turns as evidence.
"""

from __future__ import annotations

from sessionlens.analysis.coding.codes import CodingResult
from sessionlens.analysis.coding.features import clean
from sessionlens.analysis.coding.miti import ADVICE_REQUEST
from sessionlens.domain import Evidence, Finding, Transcript, Utterance
from sessionlens.payloads.findings import PrematureAdviceData

SOURCE = "rule:premature-advice"
MIN_CONCERN_WORDS = 8  # shorter client turns ("yeah, sure") carry no concern to reflect
WINDOW = 10  # turns back; older client talk is a different moment of the session
KINDS = ("advice", "information")


def _mmss(t: float | None) -> str:
    return "?" if t is None else f"{int(t) // 60:02d}:{int(t) % 60:02d}"


def _concerns(utts: tuple[Utterance, ...], codes: dict, i: int) -> list[Utterance] | None:
    """Unreflected substantive client turns before ``i``; None if the client just asked for input."""
    found: list[Utterance] = []
    for j in range(i - 1, max(i - 1 - WINDOW, -1), -1):
        u, c = utts[j], codes.get(utts[j].id, {})
        if c.get("therapist_behaviour") == "reflection":
            break
        if c.get("client_talk") is not None:
            if not found and j == _last_client(utts, codes, i) and ADVICE_REQUEST.search(clean(u.text)):
                return None
            if len(u.text.split()) >= MIN_CONCERN_WORDS:
                found.append(u)
    return found[::-1]


def _last_client(utts: tuple[Utterance, ...], codes: dict, i: int) -> int:
    for j in range(i - 1, -1, -1):
        if codes.get(utts[j].id, {}).get("client_talk") is not None:
            return j
    return -1


def premature_advice(transcript: Transcript, coding: CodingResult) -> list[Finding]:
    """Findings of kind "premature_advice", one per flagged therapist turn, in session order."""
    utts, codes = transcript.utterances, coding.codes
    out: list[Finding] = []
    for i, u in enumerate(utts):
        c = codes.get(u.id)
        kind = next((k for k in KINDS if k in c.get("therapist_subcodes", [])), None) if c else None
        if c is None or c.get("therapist_behaviour") != "therapist_input" or kind is None:
            continue
        concerns = _concerns(utts, codes, i)
        if not concerns:
            continue
        recent = concerns[-3:]
        ev = (Evidence((u.id,), u.start, u.end, note=kind),
              Evidence(tuple(x.id for x in recent), recent[0].start, recent[-1].end,
                       note="client turns not yet reflected back"))
        why = (f"{kind} at {_mmss(u.start)} follows {len(concerns)} substantive client turn(s) "
               f"(from {_mmss(recent[0].start)}) with no reflection from the therapist in between "
               f"and no request for {kind} from the client")
        out.append(Finding("premature_advice", kind, round(float(c.get("confidence", 0.5)), 4), ev, SOURCE, why,
                           PrematureAdviceData(utterance_id=u.id, concern_ids=[x.id for x in concerns])))
    return out
