"""Use cases — the one layer that checks permissions and writes audit events.

The CLI (and later the web app) call only these functions. Each takes a :class:`Ctx` (an open
vault and the signed-in account) first, except those that open or restore a vault.
"""

from __future__ import annotations

from .context import Ctx

__all__ = ["Ctx"]
