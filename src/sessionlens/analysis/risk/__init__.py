"""Risk language for the clinician's review (suicidal ideation, self-harm, harm to others, abuse or
neglect, substance crisis). High recall by design; "not discussed" when nothing is found, never "no risk"."""

from __future__ import annotations

from .detect import (
    MENTIONED,
    NOT_ASSESSED,
    NOT_DISCUSSED,
    RiskHit,
    find_risk,
    risk_findings,
    scan_text,
    summarise,
)
from .lexicon import CATEGORIES, CATEGORY_NAMES

__all__ = [
    "CATEGORIES",
    "CATEGORY_NAMES",
    "MENTIONED",
    "NOT_ASSESSED",
    "NOT_DISCUSSED",
    "RiskHit",
    "find_risk",
    "risk_findings",
    "scan_text",
    "summarise",
]
