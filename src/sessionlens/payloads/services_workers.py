"""A processing worker as the admin sees it (services.workers): ids and key fingerprints, no keys, no PHI."""

from typing_extensions import TypedDict


class WorkerShown(TypedDict):
    id: str  # derived from the worker's public key (vault.worker_approvals.worker_id)
    name: str  # what the worker announced, or the name recorded at approval
    fingerprint: str  # SHA-256 of its public key: compare with the line the worker printed at start
    approved: bool  # on the anchor-signed approved list: it may receive job grants
    live: bool  # announcing itself in Redis now (with the approved key, when approved)
    queued: int  # messages waiting in its own queue
