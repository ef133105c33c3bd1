"""The clinician's decisions on formulation hypotheses (services.formulation_decisions)."""

from typing_extensions import TypedDict


class HypothesisDecisionRecord(TypedDict):
    """A decision as sealed in the clinician's reflections (kind ``formulation_decision``)."""

    model: str
    item: str
    decision: str
    note: str | None
    at: str


class HypothesisDecided(HypothesisDecisionRecord):
    id: str
    client: str


class HypothesisDecision(TypedDict):
    """The latest decision on one hypothesis."""

    decision: str
    note: str | None
    at: str | None
