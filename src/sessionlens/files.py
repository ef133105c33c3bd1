"""Writing a file the user named: a new file only (never over an existing one), private to the user, durable.

Every export, backup and packet the CLI writes goes through :func:`write_new_file`.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import InputError


def write_new_file(path: Path, data: bytes) -> None:
    """Create ``path`` (refusing to overwrite), private to the user, durably."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InputError("already exists; refusing to overwrite", source=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot be created ({exc.strerror})", source=str(path)) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise InputError(f"cannot be written ({exc.strerror})", source=str(path)) from None


__all__ = ["write_new_file"]
