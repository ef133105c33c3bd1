"""The encrypted vault: envelopes, keys, schema and storage, audit chain, accounts, blobs, backups.

Nothing in here checks permissions — that is :mod:`sessionlens.services`' job.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Vault"]


def __getattr__(name: str) -> Any:  # PEP 562: importing a submodule does not load SQLAlchemy (CLI start-up)
    if name == "Vault":
        from .vault import Vault

        return Vault
    raise AttributeError(name)
