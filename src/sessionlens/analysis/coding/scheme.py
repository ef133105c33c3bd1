"""The coding scheme a clinician corrects against, and one correction request checked against it (pure).

Therapist behaviour (AnnoMI) with its sub-code families, the rule-coded MITI behaviours (any
behaviour may carry them), and the client's talk type. Error messages name codes and ids only,
never utterance text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sessionlens.analysis.coding.corrections import ALLOWED
from sessionlens.errors import InputError
from sessionlens.payloads.analysis_coding import Correction

FAMILIES: dict[str, tuple[str, ...]] = {
    "question": ("open", "closed"),
    "reflection": ("simple", "complex"),
    "therapist_input": ("information", "advice", "negotiation", "options"),
}
MITI = ("affirm", "emphasize_autonomy", "seek_collaboration", "confront", "persuade_with_permission",
        "persuade_without_permission")
SUBCODES = tuple(s for family in FAMILIES.values() for s in family) + MITI
BEHAVIOURS = tuple(sorted(ALLOWED["therapist_behaviour"]))
CLIENT_TALK = tuple(sorted(ALLOWED["client_talk"]))


def _one_of(value: str, allowed: Sequence[str], what: str) -> str:
    if value not in allowed:
        raise InputError(f"{what} must be one of {', '.join(allowed)}")
    return value


def check_subcodes(behaviour: str, subcodes: Sequence[str]) -> list[str]:
    """Sub-codes valid for ``behaviour``: known names, no repeats, at most one of its family."""
    subs = [_one_of(s, SUBCODES, "a sub-code") for s in subcodes]
    if len(set(subs)) != len(subs):
        raise InputError("a sub-code is given twice")
    foreign = [s for s in subs if s not in MITI and s not in FAMILIES.get(behaviour, ())]
    if foreign:
        raise InputError(f"sub-code {foreign[0]} does not belong to {behaviour}")
    if sum(s in FAMILIES.get(behaviour, ()) for s in subs) > 1:
        raise InputError(f"{behaviour} takes one of {', '.join(FAMILIES[behaviour])}, not several")
    if {"persuade_with_permission", "persuade_without_permission"} <= set(subs):
        raise InputError("persuading is with or without permission, not both")
    return subs


def _role_of(current: Mapping[str, Any]) -> str | None:
    if current.get("therapist_behaviour"):
        return "therapist"
    return "client" if current.get("client_talk") else None


def requested(uid: str, current: Mapping[str, Any] | None, *, therapist_behaviour: str | None = None,
              therapist_subcodes: Sequence[str] | None = None, client_talk: str | None = None
              ) -> list[Correction]:
    """The corrections (``{"utterance_id", "field", "value"}``) one request makes for utterance ``uid``.

    ``current`` is the utterance's codes as stored (None: not coded). A new behaviour without
    sub-codes keeps the MITI sub-codes and drops those of the old behaviour's family.
    """
    therapist_asked = therapist_behaviour is not None or therapist_subcodes is not None
    if not therapist_asked and client_talk is None:
        raise InputError("nothing to correct: give a therapist behaviour, sub-codes or a client talk type")
    role = _role_of(current or {})
    if role is None:
        raise InputError(f"utterance {uid} is not coded (it is neither the therapist's nor the client's)")
    if role == "client" and therapist_asked:
        raise InputError(f"utterance {uid} is the client's: it takes a client talk type, not a therapist code")
    if role == "therapist" and client_talk is not None:
        raise InputError(f"utterance {uid} is the therapist's: it takes a therapist code, not a client talk type")
    if role == "client":
        return [_fix(uid, "client_talk", _one_of(str(client_talk), CLIENT_TALK, "client talk"))]
    return _therapist(uid, dict(current or {}), therapist_behaviour, therapist_subcodes)


def _therapist(uid: str, current: Mapping[str, Any], behaviour: str | None,
               subcodes: Sequence[str] | None) -> list[Correction]:
    main = _one_of(behaviour, BEHAVIOURS, "therapist behaviour") if behaviour is not None \
        else current["therapist_behaviour"]
    out = [_fix(uid, "therapist_behaviour", main)] if behaviour is not None else []
    if subcodes is not None:
        return out + [_fix(uid, "therapist_subcodes", check_subcodes(main, list(subcodes)))]
    old = list(current.get("therapist_subcodes") or [])
    kept = [s for s in old if s in MITI or s in FAMILIES.get(main, ())]
    return out + ([_fix(uid, "therapist_subcodes", kept)] if kept != old else [])


def _fix(uid: str, field: str, value: str | list[str]) -> Correction:
    return {"utterance_id": uid, "field": field, "value": value}
