"""The spaCy model behind de-identification loads once per test session (about 2 s)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def deid_model() -> None:
    from sessionlens.deid.spans import find_spans
    from sessionlens.offline import offline

    with offline() as guard:
        find_spans("Warm up, Anna.")
    assert guard.attempts == [], guard.attempts
