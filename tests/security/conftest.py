from __future__ import annotations

from ..vault.helpers import _derive_once, db_url, template, world  # noqa: F401  (fixtures)
