"""Where a vault lives: the data directory (0700) and its database URL."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from ..config import Settings
from . import store


def data_dir(settings: Settings, override: str | Path | None = None) -> Path:
    """``--data-dir``, else ``SESSIONLENS_HOME``, else the platform's user data directory."""
    if override:
        return Path(override).expanduser().resolve()
    if settings.home:
        return Path(settings.home).expanduser().resolve()
    return Path(platformdirs.user_data_dir("sessionlens", appauthor=False)).resolve()


def database_url(settings: Settings, directory: Path) -> str:
    return settings.database_url or store.sqlite_url(directory)


def prepare(directory: Path) -> None:
    """Create the directory private to the user; pre-create the SQLite file 0600 so WAL/SHM inherit it."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(directory, 0o700)
    db = directory / store.DB_FILENAME
    if not db.exists():
        os.close(os.open(db, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
