"""The analyzers that ship with sessionlens. Importing this module registers them, in report order."""

from __future__ import annotations

from . import coding_analyzer  # noqa: F401
from . import affect_analyzers  # noqa: F401
from . import statement_analyzers  # noqa: F401
