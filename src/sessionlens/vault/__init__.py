"""The encrypted vault: envelopes, keys, schema and storage, audit chain, accounts, blobs, backups.

Nothing in here checks permissions — that is :mod:`sessionlens.services`' job.
"""

from __future__ import annotations

from .vault import Vault

__all__ = ["Vault"]
