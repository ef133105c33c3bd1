from __future__ import annotations

from ..deid.conftest import deid_model  # noqa: F401  (fixture: the spaCy model, loaded once)
from ..vault.helpers import _derive_once, db_url, template, world  # noqa: F401  (fixtures)
