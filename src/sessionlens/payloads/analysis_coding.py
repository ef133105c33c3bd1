"""Coding corrections: agreement between the model and the clinician, re-training rows and scores."""

from typing_extensions import TypedDict


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
