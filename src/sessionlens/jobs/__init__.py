"""Durable processing jobs: the in-process runner (default) and Celery workers behind one interface.

* :mod:`.records` — job rows and sealed stage checkpoints in the vault database;
* :mod:`.stages` — the pipeline as idempotent, resumable stages;
* :mod:`.runner` — :class:`JobRunner` (``dispatch(job_id)``), :class:`InProcessRunner`, :class:`CeleryRunner`;
* :mod:`.keyring` — where a job finds its clinician's keys (memory only, held while signed in or approved);
* :mod:`.celery_app` — the Celery application run by ``sessionlens worker``;
* :mod:`.logs` — structured JSON logs that cannot carry PHI.

Jobs are submitted through ``sessionlens.services.server_jobs`` (permissions, consent, audit).
"""

from __future__ import annotations

from ..vault import tenancy
from ..vault.vault import Vault
from .keyring import DEFAULT_TTL, Keyring


def hold_keys(vault: Vault, account_id: str, keyring: Keyring, holder: str, ttl: int = DEFAULT_TTL) -> bool:
    """Publish the account's grant for workers while ``holder`` (a web session, a job) needs it.

    False when this vault holds no keys for the account (e.g. an admin: nothing to process)."""
    own = vault.account_kek(account_id) is not None
    if not own and not vault.has_vault_kek:
        return False
    keyring.acquire(account_id, holder, tenancy.grant_payload(vault, account_id, owner=not own), ttl)
    return True


__all__ = ["hold_keys"]
