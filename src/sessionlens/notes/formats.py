"""Progress-note formats: which content ("slots") goes into which section, in which order.

Every format carries a Risk section and a "Relational process" section: what kind of interaction
occurred (alliance, ruptures and repairs, how the client received the therapist), so success is
also read from the relationship, not only from symptoms.

Slots (filled by a writer):
concerns, client_report, goals, observations, mental_status, interventions, response, themes,
risk, relational, plan.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError


@dataclass(frozen=True, slots=True)
class SectionSpec:
    key: str
    title: str
    slots: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FormatSpec:
    name: str
    title: str
    sections: tuple[SectionSpec, ...]


RISK = SectionSpec("risk", "Risk", ("risk",))
RELATIONAL = SectionSpec("relational", "Relational process", ("relational",))
PLAN = SectionSpec("plan", "Plan", ("plan",))

FORMATS: dict[str, FormatSpec] = {
    "soap": FormatSpec("soap", "SOAP progress note", (
        SectionSpec("subjective", "Subjective", ("concerns", "client_report", "goals")),
        SectionSpec("objective", "Objective", ("observations", "mental_status", "interventions")),
        SectionSpec("assessment", "Assessment", ("themes", "response")),
        RISK, RELATIONAL, PLAN,
    )),
    "dap": FormatSpec("dap", "DAP progress note", (
        SectionSpec("data", "Data", ("concerns", "client_report", "observations", "mental_status", "interventions")),
        SectionSpec("assessment", "Assessment", ("themes", "response", "goals")),
        RISK, RELATIONAL, PLAN,
    )),
    "birp": FormatSpec("birp", "BIRP progress note", (
        SectionSpec("behavior", "Behavior", ("concerns", "client_report", "observations", "mental_status")),
        SectionSpec("intervention", "Intervention", ("interventions",)),
        SectionSpec("response", "Response", ("response", "themes")),
        RISK, RELATIONAL,
        SectionSpec("plan", "Plan", ("goals", "plan")),
    )),
    "girp": FormatSpec("girp", "GIRP progress note", (
        SectionSpec("goals", "Goals", ("goals", "concerns")),
        SectionSpec("intervention", "Intervention", ("interventions",)),
        SectionSpec("response", "Response", ("response", "client_report", "observations", "mental_status", "themes")),
        RISK, RELATIONAL, PLAN,
    )),
}


def get_format(name: str) -> FormatSpec:
    try:
        return FORMATS[name.lower()]
    except KeyError:
        raise InputError(f"unknown note format {name!r}; choose one of: {', '.join(FORMATS)}") from None
