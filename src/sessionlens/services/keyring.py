"""Where workers find a clinician's keys: only in memory, only while someone holds them (key lifetimes).

A *grant* is what a worker needs to act for one account (that account's KEK, or the vault KEK for an
account without its own keys, plus the integrity keys; see ``vault.tenancy.grant_payload``). It is held
for as long as it has *holders*: the account's web sessions and its approved, unfinished jobs. When the
last holder lets go the grant is deleted; a job picked up while its account's grant is absent waits
(state ``waiting_for_keys``) and resumes once the clinician signs in again.

* :class:`MemoryKeyring` — one process (the in-process runner; tests).
* :class:`RedisKeyring` — web server and Celery workers. Redis must run without persistence (the
  deployment files say ``--save "" --appendonly no``), so grants live in memory only; each grant is
  also sealed under a server secret (a 32-byte key file readable by the server and worker users only)
  and bound to its account id, so a Redis snapshot or a sniffed reply alone opens nothing. Holders and
  grant share one TTL (the web session's absolute lifetime, or a job's), renewed on every acquire.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Protocol

from ..errors import ConfigError
from ..vault import crypto, records, tenancy
from ..vault.vault import Vault

DEFAULT_TTL = 8 * 3600


class Keyring(Protocol):
    def acquire(self, account_id: str, holder: str, grant: bytes, ttl: int = DEFAULT_TTL) -> None: ...
    def release(self, account_id: str, holder: str) -> bool: ...
    def get(self, account_id: str) -> bytes | None: ...
    def holders(self, account_id: str) -> set[str]: ...


class MemoryKeyring:
    def __init__(self) -> None:
        self._grants: dict[str, bytes] = {}
        self._holders: dict[str, set[str]] = {}
        self._lock = threading.Lock()

    def acquire(self, account_id: str, holder: str, grant: bytes, ttl: int = DEFAULT_TTL) -> None:
        with self._lock:
            self._grants[account_id] = grant
            self._holders.setdefault(account_id, set()).add(holder)

    def release(self, account_id: str, holder: str) -> bool:
        """Drop one holder; True when that was the last and the grant is gone."""
        with self._lock:
            left = self._holders.get(account_id, set())
            left.discard(holder)
            if not left:
                self._holders.pop(account_id, None)
                self._grants.pop(account_id, None)
                return True
            return False

    def get(self, account_id: str) -> bytes | None:
        with self._lock:
            return self._grants.get(account_id)

    def holders(self, account_id: str) -> set[str]:
        with self._lock:
            return set(self._holders.get(account_id, set()))

    def ping(self) -> bool:
        """Readiness: this process's memory always answers."""
        return True


_RELEASE = """
redis.call('SREM', KEYS[1], ARGV[1])
if redis.call('SCARD', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[2])
  return 1
end
return 0
"""
_ACQUIRE = """
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
local ttl = redis.call('TTL', KEYS[1])
if ttl < tonumber(ARGV[3]) then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
return 1
"""


def load_secret(path: str | Path) -> bytes:
    p = Path(path)
    try:
        data = p.read_bytes()
        mode = p.stat().st_mode & 0o077
    except OSError as exc:
        raise ConfigError(f"keyring secret {p}: {exc.strerror}") from None
    if mode:
        raise ConfigError(f"keyring secret {p} must be readable by its owner only (chmod 600)")
    if len(data) != crypto.KEY_BYTES:
        raise ConfigError(f"keyring secret {p} must hold exactly {crypto.KEY_BYTES} random bytes")
    return data


def write_secret(path: str | Path) -> Path:
    """Create a new 32-byte secret file, mode 0600 (refuses to overwrite)."""
    p = Path(path)
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(crypto.new_key())
    return p


class RedisKeyring:
    def __init__(self, url: str, secret: bytes, prefix: str = "sessionlens") -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self.secret, self.prefix = secret, prefix
        self._acquire = self.client.register_script(_ACQUIRE)
        self._release = self.client.register_script(_RELEASE)

    def _keys(self, account_id: str) -> list[str]:
        return [f"{self.prefix}:holders:{account_id}", f"{self.prefix}:grant:{account_id}"]

    def _seal(self, account_id: str, grant: bytes) -> bytes:
        return records.seal_bytes(self.secret, grant, key_id="keyring", key_version=1, record_id=f"grant:{account_id}")

    def acquire(self, account_id: str, holder: str, grant: bytes, ttl: int = DEFAULT_TTL) -> None:
        self._acquire(keys=self._keys(account_id), args=[holder, self._seal(account_id, grant), int(ttl)])

    def release(self, account_id: str, holder: str) -> bool:
        return bool(self._release(keys=self._keys(account_id), args=[holder]))

    def get(self, account_id: str) -> bytes | None:
        sealed = self.client.get(self._keys(account_id)[1])
        if sealed is None:
            return None
        return records.open_bytes(self.secret, sealed, key_id="keyring", key_version=1,
                                  record_id=f"grant:{account_id}")

    def holders(self, account_id: str) -> set[str]:
        return {h.decode() for h in self.client.smembers(self._keys(account_id)[0])}

    def ping(self) -> bool:
        return bool(self.client.ping())


def hold_keys(vault: Vault, account_id: str, keyring: Keyring, holder: str, ttl: int = DEFAULT_TTL) -> bool:
    """Publish the account's grant for workers while ``holder`` (a web session, a job) needs it.

    False when this vault holds no keys for the account (e.g. an admin: nothing to process)."""
    own = vault.account_kek(account_id) is not None
    if not own and not vault.has_vault_kek:
        return False
    keyring.acquire(account_id, holder, tenancy.grant_payload(vault, account_id, owner=not own), ttl)
    return True
