"""Clinical coding of a session: therapist interventions, client change/sustain talk, MI measures.

Entry points::

    from sessionlens.analysis.coding import code_transcript, mi_measures, premature_advice

    coding = code_transcript(transcript)         # CodingResult: .findings, .codes (per utterance id)
    measures = mi_measures(transcript, coding)   # {"interventions": {...}, "client_talk": {...}}
    flags = premature_advice(transcript, coding) # [Finding(kind="premature_advice"), ...]

Clinician corrections (``corrections.py``): apply_corrections, session_agreement,
agreement_over_time, training_rows.
"""

from sessionlens.analysis.coding.codes import CodingResult, code_transcript
from sessionlens.analysis.coding.corrections import (
    agreement_over_time,
    apply_corrections,
    session_agreement,
    training_rows,
)
from sessionlens.analysis.coding.measures import mi_measures
from sessionlens.analysis.coding.premature import premature_advice

__all__ = [
    "CodingResult",
    "agreement_over_time",
    "apply_corrections",
    "code_transcript",
    "mi_measures",
    "premature_advice",
    "session_agreement",
    "training_rows",
]
