"""Use case: a read request is audited by one entry, appended by the vault's single audit writer.

The web layer opens :func:`request_scope` around a read request and calls :func:`flush` before the answer
starts; :func:`read_only` tells the server's transaction queue that the request writes nothing itself.
The mechanism lives with the chain in ``vault/audit_batch.py``; this is the edge's door to it.
"""

from __future__ import annotations

from ..vault.audit_batch import Collector, flush, read_only, request_scope

__all__ = ["Collector", "flush", "read_only", "request_scope"]
