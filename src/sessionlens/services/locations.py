"""Where a vault lives (data directory, database URL), as the CLI and web ask for it: a light import."""

from __future__ import annotations

from ..vault.home import data_dir, database_url

__all__ = ["data_dir", "database_url"]
