from __future__ import annotations

from .helpers import _derive_once, db_url, template, world  # noqa: F401  (fixtures)
