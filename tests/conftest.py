"""Shared test helpers: where the public data lives, and skipping cleanly without it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def pytest_configure(config: pytest.Config) -> None:
    """Nothing a test makes lands in the real user's data directory (a vault opened without --data-dir,
    a PostgreSQL vault's audit anchor): the platform data directory is a fresh temporary one per run."""
    import tempfile

    os.environ["XDG_DATA_HOME"] = config._sessionlens_data = tempfile.mkdtemp(  # type: ignore[attr-defined]  # our own attribute on pytest's config
        prefix="sessionlens-test-data-")


def pytest_unconfigure(config: pytest.Config) -> None:
    import shutil

    shutil.rmtree(getattr(config, "_sessionlens_data", ""), ignore_errors=True)


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
