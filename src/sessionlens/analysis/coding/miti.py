"""Rule-based MITI behaviours where no public training labels exist.

AnnoMI codes question / reflection / input; it has no labels for affirm, emphasize autonomy,
seek collaboration, confront or persuade. These come from cue lists (``cues.py``) and the
context (was permission asked, or advice requested, just before?). Each hit says which cue
fired; confidence is modest on purpose because cue lists miss paraphrases.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sessionlens.analysis.coding.cues import PERSUADE_RULE, THERAPIST_CUES
from sessionlens.analysis.coding.features import Turn, clean

RULE_CONFIDENCE = 0.6
PERMISSION_WINDOW = 3  # turns back in which asked-for permission or a request still counts
ADVICE_REQUEST = re.compile(r"\b(?:what should i|what can i|what do you think|do you have any|any advice|"
                      r"any suggestions|any ideas|how do i|how can i|what would you|what else can|"
                      r"can you tell me|could you tell me|what are my options|is there anything)\b")
_AGREE = re.compile(r"^\W*(?:yes|yeah|yep|sure|okay|ok|go ahead|please|mm+-?hmm+|uh-huh|alright|of course)\b")

MITI_CUES = {
    "affirm": "affirm",
    "emphasize_autonomy": "autonomy",
    "seek_collaboration": "collaboration",
    "confront": "confront",
}


@dataclass(frozen=True)
class RuleHit:
    code: str
    confidence: float
    why: str


def _hit(text: str, cue: str) -> str | None:
    m = THERAPIST_CUES[cue].search(text)
    return m.group(0) if m else None


def permission_context(turns: Sequence[Turn], i: int) -> str | None:
    """Why advice at turn ``i`` counts as with permission, or None."""
    own = _hit(clean(turns[i].text), "permission")
    if own:
        return f"permission asked in the same turn ('{own}')"
    for j in range(i - 1, max(i - 1 - PERMISSION_WINDOW, -1), -1):
        text = clean(turns[j].text)
        if turns[j].role == "client" and (asked := ADVICE_REQUEST.search(text)):
            return f"client asked for it ('{asked.group(0)}')"
        if turns[j].role == "therapist" and _hit(text, "permission"):
            nxt = clean(turns[j + 1].text) if j + 1 < len(turns) else ""
            if turns[j + 1].role == "client" and _AGREE.search(nxt):
                return f"permission asked ('{_hit(text, 'permission')}') and granted"
    return None


def miti_behaviours(turns: Sequence[Turn], i: int, is_advice: bool) -> list[RuleHit]:
    """Rule-coded MITI behaviours of therapist turn ``i``; ``is_advice`` from the model's sub-code."""
    text = clean(turns[i].text)
    hits = []
    for code, cue in MITI_CUES.items():
        found = _hit(text, cue)
        if found:
            hits.append(RuleHit(code, RULE_CONFIDENCE, f"rule: cue '{found}' (no training labels exist)"))
    m = PERSUADE_RULE.search(text)
    persuasive = m.group(0) if m else None
    if is_advice or persuasive:
        why = permission_context(turns, i)
        base = f"cue '{persuasive}'" if persuasive else "model coded advice"
        if why:
            hits.append(RuleHit("persuade_with_permission", RULE_CONFIDENCE, f"rule: {base}; {why}"))
        else:
            hits.append(RuleHit("persuade_without_permission", RULE_CONFIDENCE,
                                f"rule: {base}; no permission asked or request in the last "
                                f"{PERMISSION_WINDOW} turns"))
    return hits
