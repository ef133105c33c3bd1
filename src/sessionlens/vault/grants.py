"""Per-job key grants: what a worker is lent to run one job, and nothing more.

A grant holds the data keys (DEKs) of the one client the job belongs to — never an account KEK or the
vault KEK — plus the integrity keys a worker needs to check rows and append to the audit trail. It is
bound to its job id and an expiry: both are in the associated data of its sealing, so a grant moved to
another job, or with its expiry pushed back, does not open. On a practice server grants are sealed to the
*workers'* X25519 public key: the web server (which makes grants) holds only the public half, the workers
(which open them) the private half, so neither a Redis snapshot nor the web's keyring file opens one.

What a compromised worker still gets: the DEKs of clients whose jobs are pending right now (until their
grants expire or the jobs end) and the integrity keys (see docs/security.md, "compromised worker").
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import Connection, select

from ..errors import AuthError, IntegrityError, NotFoundError
from . import crypto, job_rows
from .models import client_keys
from .tenancy import _open_from, _raw_public, _seal_to
from .vault import KeysLockedError, Vault

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from ..config import Settings


def _record_id(job_id: str, expires: int) -> str:
    return f"jobgrant:{job_id}:{int(expires)}"


def job_grant(vault: Vault, conn: Connection, job_id: str, expires: int) -> bytes:
    """The grant for one job: its client's DEKs (every version), bound to the job id and ``expires`` (epoch s)."""
    job = job_rows.get(conn, job_id)
    if job is None:
        raise NotFoundError(f"record {job_id} not found")
    rows = conn.execute(select(client_keys.c.key_id, client_keys.c.version)
                        .where(client_keys.c.client_id == job.client_id)).all()
    deks = [{"key_id": r.key_id, "version": r.version, "dek": vault.client_key(conn, r.key_id, r.version).hex()}
            for r in rows]
    audit_key, row_key = vault.integrity_keys
    return json.dumps({"vault": vault.vault_id, "job": job_id, "client": job.client_id, "account": job.owner_id,
                       "expires": int(expires), "deks": deks, "audit": audit_key.hex(),
                       "row": row_key.hex()}).encode()


class GrantVault(Vault):
    """A worker's view of the vault for one job: the client's DEKs and the integrity keys, no KEK at all."""

    def __init__(self, engine: Engine, vault_id: str, settings: Settings, integrity: tuple[bytes, bytes],
                 deks: dict[tuple[str, int], bytes], job_id: str) -> None:
        super().__init__(engine, vault_id, None, settings, integrity=integrity)
        self._deks, self.job_id = deks, job_id

    def client_key(self, conn: Connection, key_id: str, version: int) -> bytes:
        dek = self._deks.get((key_id, int(version)))
        if dek is None:  # another client's record: this job was granted nothing for it
            raise KeysLockedError("this job's key grant does not cover that record")
        return dek

    def forget(self) -> None:
        """The job is over (or handed back): its keys leave this worker's memory."""
        self._deks.clear()
        self.drop_vault_kek()
        for account in self.held_accounts():
            self.drop_account_kek(account)


def vault_from_job_grant(engine: Engine, settings: Settings, payload: bytes, job_id: str, now: float) -> GrantVault:
    g = json.loads(payload)
    if g.get("job") != job_id:
        raise AuthError("the key grant belongs to another job")
    if now >= g["expires"]:
        raise AuthError("the job's key grant has expired")
    deks = {(d["key_id"], int(d["version"])): bytes.fromhex(d["dek"]) for d in g["deks"]}
    return GrantVault(engine, g["vault"], settings, (bytes.fromhex(g["audit"]), bytes.fromhex(g["row"])), deks,
                      job_id)


# --- sealing to the workers' key (practice server) -------------------------------------------------

def new_worker_key() -> tuple[bytes, bytes]:
    """A fresh X25519 key pair for the workers: (private, public), 32 bytes each."""
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    private = X25519PrivateKey.generate()
    return private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()), _raw_public(private.public_key())


def public_of(private: bytes) -> bytes:
    return _raw_public(X25519PrivateKey.from_private_bytes(private).public_key())


def seal_grant(public: bytes, payload: bytes, job_id: str, expires: int) -> bytes:
    """Seal a grant to the workers' public key; the job id and expiry are bound into its associated data."""
    if len(public) != crypto.KEY_BYTES:
        raise AuthError("the workers' public key must be 32 bytes")
    return _seal_to(public, payload, _record_id(job_id, expires))


def open_grant(private: bytes, blob: bytes, job_id: str, expires: int) -> bytes:
    try:
        return _open_from(X25519PrivateKey.from_private_bytes(private), blob, _record_id(job_id, expires))
    except (IntegrityError, ValueError):
        raise IntegrityError(f"the key grant of job {job_id} failed authentication (moved, altered or "
                             "sealed to another key)") from None
