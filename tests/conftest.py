"""Shared test helpers: where the public data lives, and skipping cleanly without it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path:
    """../shared/data beside the checkout, or $SESSIONLENS_SHARED_DATA."""
    env = os.environ.get("SESSIONLENS_SHARED_DATA")
    return Path(env) if env else (REPO.parent / "shared" / "data").resolve()


def require_shared(*parts: str) -> Path:
    """Return a path inside the shared data folder, or skip the test with a clear message."""
    path = shared_data_dir().joinpath(*parts)
    if not path.exists():
        pytest.skip(f"public data not found at {path} (see ../shared/data/README.md); skipping")
    return path


@pytest.fixture
def annomi_simple() -> Path:
    return require_shared("annomi", "AnnoMI-simple.dev.csv")
