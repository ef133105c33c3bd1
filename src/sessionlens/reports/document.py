"""The analysis as one JSON document (schema: docs/analysis.schema.json).

Names here are a published contract: top-level ``utterances``, ``speakers``, ``metrics``
(with ``metrics.talk_time.<role>.seconds`` and ``.share``), ``silences`` and ``findings``.
Add fields freely; never rename or remove one.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Final, cast

from .. import __version__
from ..analysis.result import SessionAnalysis
from ..codec import finding_to_dict, speaker_to_dict, utterance_to_dict
from ..payloads.document import AnalysisDocument, SilenceJson, UtteranceJson

SCHEMA_ID = "https://sessionlens.invalid/schema/analysis-1.json"  # an identifier, never fetched
DOCUMENT_VERSION: Final = 1


def analysis_document(a: SessionAnalysis) -> AnalysisDocument:
    t = a.transcript
    # The analyzers' sections and per-utterance fields are assembled by name at run time; their shapes are
    # the payload types, checked against real analyses by tests/test_schema.py.
    return {
        "$schema": SCHEMA_ID,
        "document_version": DOCUMENT_VERSION,
        "generator": f"sessionlens {__version__}",
        "source_format": t.source_format,
        "timing": t.timing.value,
        "caveats": list(a.caveats),
        "settings": a.settings,
        "speakers": [speaker_to_dict(s) for s in t.speakers],
        "utterances": [cast(UtteranceJson, {**utterance_to_dict(u), **a.utterance_fields.get(u.id, {})})
                       for u in t.utterances],
        "metrics": a.metrics,
        "silences": [cast(SilenceJson, {**asdict(s), "before_role": s.before_role.value,
                                        "after_role": s.after_role.value}) for s in a.silences],
        "findings": [finding_to_dict(f) for f in a.findings],
    }
