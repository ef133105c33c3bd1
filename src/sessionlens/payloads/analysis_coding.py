"""Coding corrections: agreement between the model and the clinician, re-training rows and scores."""

from typing_extensions import NotRequired, TypedDict

from .document import CodesJson


class Agreement(TypedDict):
    """Share of (model, clinician) labels that agree and Cohen's kappa; None when there are no pairs."""

    n: int
    agreement: float | None
    kappa: float | None


class TrainingRow(TypedDict):
    """An AnnoMI-shaped row for local re-training with the clinician's codes."""

    utterance_index: int
    interlocutor: str
    utterance_text: str
    label: str | None
    subcodes: list[str]
    corrected: bool


class HeadScore(TypedDict):
    n: int
    accuracy: float | None
    macro_f1: float | None


class HeadComparison(TypedDict):
    old: HeadScore
    new: HeadScore


class GroupedCv(TypedDict):
    """Shipped heads vs heads re-trained on the other sessions' reviews, per head, pooled over folds."""

    folds: int
    sessions: int
    heads: dict[str, HeadComparison]
    drift: float
    """Share of left-out unreviewed codes the new heads change."""


class HeadDelta(TypedDict):
    cols: list[int]
    coef: list[list[float]]
    intercept: list[float]


class RetrainedHeads(TypedDict):
    """Deltas from the shipped heads (only the columns that moved), sealed in the vault."""

    base: str
    heads: dict[str, HeadDelta]


class Correction(TypedDict):
    """One clinician correction of one code field of one utterance, as stored."""

    utterance_id: str
    field: str
    """therapist_behaviour, therapist_subcodes or client_talk."""
    value: str | list[str]
    """A label, or the list of sub-codes."""


class CodeModelValues(TypedDict, total=False):
    """The model's own values of a corrected utterance (kept under ``codes.model``)."""

    therapist_behaviour: str | None
    therapist_subcodes: list[str]
    client_talk: str | None
    confidence: float


class CodeEntry(CodesJson):
    """One utterance's codes as the coder and the corrections keep them (``CodingResult.codes``): the published
    ``CodesJson`` plus, once corrected, the model's own values and the mark."""

    model: NotRequired[CodeModelValues]
    corrected: NotRequired[bool]


class CodeFindingModel(TypedDict):
    """The model's own label, confidence, explanation and sub-codes of a corrected code finding (``data.model``)."""

    label: str | None
    confidence: float | None
    explanation: str | None
    subcodes: list[str]
