"""Where a vault lives: the data directory (0700) and its database URL."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from ..config import Settings

DB_FILENAME = "vault.db"  # the SQLite file in the data directory (store.py builds its URL from this)


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{Path(data_dir) / DB_FILENAME}"


def data_dir(settings: Settings, override: str | Path | None = None) -> Path:
    """``--data-dir``, else ``SESSIONLENS_HOME``, else the platform's user data directory."""
    if override:
        return Path(override).expanduser().resolve()
    if settings.home:
        return Path(settings.home).expanduser().resolve()
    return Path(platformdirs.user_data_dir("sessionlens", appauthor=False)).resolve()


def database_url(settings: Settings, directory: Path) -> str:
    return settings.database_url or sqlite_url(directory)


def prepare(directory: Path) -> None:
    """Create the directory private to the user; pre-create the SQLite file 0600 so WAL/SHM inherit it."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(directory, 0o700)
    db = directory / DB_FILENAME
    try:
        os.close(os.open(db, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:  # already there (or another process created it a moment ago): keep it
        pass
