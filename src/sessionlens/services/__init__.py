"""Use cases — the one layer that checks permissions and writes audit events.

The CLI (and later the web app) call only these functions. Each takes a :class:`Ctx` (an open
vault and the signed-in account) first, except those that open or restore a vault.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Ctx"]


def __getattr__(name: str) -> Any:  # PEP 562: `import sessionlens.services.x` stays cheap (CLI start-up)
    if name == "Ctx":
        from .context import Ctx

        return Ctx
    raise AttributeError(name)
