"""Reading a stored analysis document for the pages: a part it lacks shows nothing (never a server error)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from ...payloads.document import AnalysisDocument
from ...payloads.metrics import Metrics


def metrics_of(doc: AnalysisDocument) -> Metrics:
    return doc.get("metrics") or cast(Metrics, {})


def section(doc: AnalysisDocument, name: str) -> Mapping[str, object]:
    """An analyzer's section that ``Metrics`` does not name (e.g. emotions, themes); empty when missing."""
    found = cast(Mapping[str, object], metrics_of(doc)).get(name)
    return found if isinstance(found, dict) else {}
