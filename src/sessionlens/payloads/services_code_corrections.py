"""The clinician's code corrections (services.code_corrections): the stored record and what the use cases return."""

from typing_extensions import NotRequired, TypedDict

from .analysis_coding import Agreement, Correction, GroupedCv, TrainingRow
from .document import CodesJson
from .metrics import ClientTalk, Interventions

CodeValue = str | list[str] | None
"""A behaviour or client-talk label, or a list of therapist sub-codes (None: the model had none)."""


class CodeCorrection(Correction):
    """One correction as kept in the session's sealed metadata (``code_corrections``): the checked correction
    (analysis.coding.scheme.requested), when, by whom, and the model's value."""

    at: str
    by: str
    model: CodeValue
    """The model's value, kept beside the clinician's."""
    note: NotRequired[str]
    """The clinician's reasoning; shown to the clinician only."""


class CodeCorrected(TypedDict):
    session: str
    utterance: str
    codes: CodesJson
    corrections: int
    not_applicable: int
    interventions: Interventions
    client_talk: ClientTalk


class CorrectionsListed(TypedDict):
    session: str
    corrections: list[CodeCorrection]
    effective: int
    not_applicable: int
    agreement: dict[str, Agreement]


class SessionAgreement(TypedDict):
    """One session's agreement per field the agreement covers (analysis.coding.corrections.ALLOWED)."""

    session: str
    date: str
    corrections: int
    therapist_behaviour: Agreement
    client_talk: Agreement


class AgreementReport(TypedDict):
    sessions: list[SessionAgreement]
    overall: dict[str, Agreement]
    note: str


class RetrainReport(TypedDict):
    reviewed: int
    sessions: int
    better: bool
    kept: bool
    reason: NotRequired[str]
    cv: NotRequired[GroupedCv]


class TrainingExportRow(TrainingRow):
    """One line of the re-training export (JSONL): the AnnoMI-shaped row, where it comes from, and the model's
    label beside the clinician's."""

    transcript_id: str
    utterance_id: str
    model_label: str | None
    model_subcodes: list[str]
