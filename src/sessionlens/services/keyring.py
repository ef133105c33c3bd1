"""Where workers find the keys for a job: only in memory, only while the job is approved (key lifetimes).

Two things live here:

* *presence* — which holders (the account's web sessions, its approved unfinished jobs) currently keep an
  account's work going (``acquire``/``release``/``holders``/``get``). It holds a marker, never a key.
* *job grants* — per job, the data keys of that job's one client (``vault.grants``), bound to the job id
  and an expiry. A worker asks for the grant of the job it runs and gets nothing else: no account KEK,
  no vault KEK, no other client's key. A grant is made when the job is approved (submitted, retried)
  and made again for the account's waiting jobs when its clinician signs in. A worker *takes* it
  (``take_job``: read and delete at once, Redis GETDEL) and hands it back only when the job goes on
  later (retry, lease lost); it lapses at its expiry, at most ``job_grant_ttl_seconds`` after it was
  made (the job then waits, state ``waiting_for_keys``).

* :class:`MemoryKeyring` — one process (the in-process runner; tests).
* :class:`RedisKeyring` — web server and Celery workers. Redis runs without persistence (the deployment
  files say ``--save "" --appendonly no``) and with ACL users and passwords. Grants are sealed to the
  workers' X25519 public key: the web server holds only that public key (``keyring_public_file``), the
  workers the private key (``keyring_secret_file``), so one role's file does not open the other's data.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, cast
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from ..errors import ConfigError, IntegrityError
from ..vault import crypto, grants, job_rows
from ..vault.vault import Vault

DEFAULT_TTL = 8 * 3600


HELD = b"held"  # the presence marker: no key material


class Keyring(Protocol):
    def acquire(self, account_id: str, holder: str, grant: bytes, ttl: int = DEFAULT_TTL) -> None: ...
    def release(self, account_id: str, holder: str) -> bool: ...
    def get(self, account_id: str) -> bytes | None: ...
    def holders(self, account_id: str) -> set[str]: ...
    def put_job(self, job_id: str, grant: bytes, expires: int) -> None: ...
    def job_grant(self, job_id: str) -> bytes | None: ...
    def drop_job(self, job_id: str) -> None: ...
    def take_job(self, job_id: str) -> bytes | None: ...


def _job_of(holder: str) -> str | None:
    return holder[4:] if holder.startswith("job:") else None


class MemoryKeyring:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._grants: dict[str, bytes] = {}
        self._holders: dict[str, set[str]] = {}
        self._jobs: dict[str, tuple[bytes, int]] = {}
        self._clock = clock
        self._lock = threading.Lock()

    def acquire(self, account_id: str, holder: str, grant: bytes, ttl: int = DEFAULT_TTL) -> None:
        with self._lock:
            self._grants[account_id] = grant
            self._holders.setdefault(account_id, set()).add(holder)

    def release(self, account_id: str, holder: str) -> bool:
        """Drop one holder; True when that was the last and the grant is gone."""
        with self._lock:
            self._jobs.pop(_job_of(holder) or "", None)
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

    def put_job(self, job_id: str, grant: bytes, expires: int) -> None:
        with self._lock:
            self._jobs[job_id] = (grant, int(expires))

    def job_grant(self, job_id: str) -> bytes | None:
        with self._lock:
            found = self._jobs.get(job_id)
            if found is not None and self._clock() >= found[1]:
                del self._jobs[job_id]  # lapsed: the job waits for its clinician
                found = None
        return found[0] if found else None

    def take_job(self, job_id: str) -> bytes | None:
        """The job's grant, removed from the keyring as it is read (a worker holds it while it runs)."""
        grant = self.job_grant(job_id)
        self.drop_job(job_id)
        return grant

    def drop_job(self, job_id: str) -> None:
        with self._lock:
            self._jobs.pop(job_id, None)

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


def load_public(path: str | Path) -> bytes:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ConfigError(f"keyring public key {p}: {exc.strerror}") from None
    if len(data) != crypto.KEY_BYTES:
        raise ConfigError(f"keyring public key {p} must hold exactly {crypto.KEY_BYTES} bytes")
    return data


def write_secret(path: str | Path) -> Path:
    """Create the workers' key pair: ``path`` (private, mode 0600) and ``path.pub`` (public, for the web
    server); refuses to overwrite."""
    p = Path(path)
    private, public = grants.new_worker_key()
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(private)
    fd = os.open(public_path(p), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(public)
    return p


def public_path(secret: str | Path) -> Path:
    return Path(str(secret) + ".pub")


def broker_url(settings: Any) -> str:
    """``broker_url`` with the password of its ACL user read from ``broker_password_file`` (never from env)."""
    url: str = settings.broker_url
    if not getattr(settings, "broker_password_file", ""):
        return url
    try:
        password = Path(settings.broker_password_file).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"broker password file {settings.broker_password_file}: {exc.strerror}") from None
    parts = urlsplit(url)
    user = quote(unquote(parts.username or "default"), safe="")
    host = parts.hostname or ""
    netloc = f"{user}:{quote(password, safe='')}@{host}" + (f":{parts.port}" if parts.port else "")
    return str(urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)))


def for_web(settings: Any) -> RedisKeyring:
    """The web server's keyring: seals grants to the workers' public key; cannot open them."""
    if settings.keyring_public_file:
        public = load_public(settings.keyring_public_file)
    elif settings.keyring_secret_file:  # older set-ups gave the web the workers' file: use only its public half
        public = grants.public_of(load_secret(settings.keyring_secret_file))
    else:
        raise ConfigError("job_runner = celery needs keyring_public_file (SESSIONLENS_KEYRING_PUBLIC_FILE)")
    return RedisKeyring(broker_url(settings), public=public)


def for_worker(settings: Any) -> RedisKeyring:
    if not settings.keyring_secret_file:
        raise ConfigError("set SESSIONLENS_KEYRING_SECRET_FILE for the worker")
    return RedisKeyring(broker_url(settings), private=load_secret(settings.keyring_secret_file))


class RedisKeyring:
    def __init__(self, url: str, *, public: bytes | None = None, private: bytes | None = None,
                 prefix: str = "sessionlens") -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self.private = private
        self.public = public if public is not None else (grants.public_of(private) if private else None)
        self.prefix = prefix
        self._acquire = self.client.register_script(_ACQUIRE)
        self._release = self.client.register_script(_RELEASE)

    def _keys(self, account_id: str) -> list[str]:
        return [f"{self.prefix}:holders:{account_id}", f"{self.prefix}:held:{account_id}"]

    def _job_key(self, job_id: str) -> str:
        return f"{self.prefix}:jobgrant:{job_id}"

    def acquire(self, account_id: str, holder: str, grant: bytes = HELD, ttl: int = DEFAULT_TTL) -> None:
        self._acquire(keys=self._keys(account_id), args=[holder, HELD, int(ttl)])

    def release(self, account_id: str, holder: str) -> bool:
        job = _job_of(holder)
        if job:
            self.drop_job(job)
        return bool(self._release(keys=self._keys(account_id), args=[holder]))

    def get(self, account_id: str) -> bytes | None:
        return cast(bytes | None, self.client.get(self._keys(account_id)[1]))  # redis-py types replies loosely

    def holders(self, account_id: str) -> set[str]:
        return {h.decode() for h in cast(set[bytes], self.client.smembers(self._keys(account_id)[0]))}

    def put_job(self, job_id: str, grant: bytes, expires: int) -> None:
        if self.public is None:
            raise ConfigError("this keyring has no workers' public key to seal grants to")
        ttl = math.ceil(expires - time.time())
        if ttl <= 0:  # already lapsed: nothing to lend
            self.drop_job(job_id)
            return
        sealed = grants.seal_grant(self.public, grant, job_id, int(expires))
        self.client.set(self._job_key(job_id), str(int(expires)).encode() + b"|" + sealed, ex=ttl)

    def job_grant(self, job_id: str) -> bytes | None:
        """The job's grant, opened (workers only); None when absent or lapsed. A grant that fails to open
        (moved from another job, expiry altered, sealed to another key) raises IntegrityError."""
        if self.private is None:
            raise ConfigError("only a worker (keyring_secret_file) opens key grants")
        return self._open(job_id, cast(bytes | None, self.client.get(self._job_key(job_id))))

    def take_job(self, job_id: str) -> bytes | None:
        """Like ``job_grant``, but the grant leaves Redis in the same step (GETDEL): a grant a worker
        consumed is no longer there for anyone else to read; ``put_job`` hands it back."""
        if self.private is None:
            raise ConfigError("only a worker (keyring_secret_file) opens key grants")
        return self._open(job_id, cast(bytes | None, self.client.getdel(self._job_key(job_id))))

    def _open(self, job_id: str, stored: bytes | None) -> bytes | None:
        if stored is None or self.private is None:
            return None
        head, _, sealed = stored.partition(b"|")
        try:
            expires = int(head)
        except ValueError:
            raise IntegrityError(f"the key grant of job {job_id} is malformed") from None
        if time.time() >= expires:
            return None
        return grants.open_grant(self.private, sealed, job_id, expires)

    def drop_job(self, job_id: str) -> None:
        self.client.delete(self._job_key(job_id))

    def ping(self) -> bool:
        return bool(self.client.ping())


def hold_keys(vault: Vault, account_id: str, keyring: Keyring, holder: str, ttl: int = DEFAULT_TTL) -> bool:
    """``holder`` (a web session, a job) keeps the account's work going; publish the job grants it needs.

    A job holder (``job:<id>``) gets that job's grant; a sign-in gets fresh grants for the account's
    unfinished jobs (a job whose grant lapsed resumes). False when this vault holds no keys for the
    account (e.g. an admin: nothing to process)."""
    own = vault.account_kek(account_id) is not None
    if not own and not vault.has_vault_kek:
        return False
    # A grant waits in Redis at most job_grant_ttl_seconds (the presence marker keeps ``ttl``).
    expires = int(time.time()) + min(int(ttl), int(vault.settings.job_grant_ttl_seconds))
    job = _job_of(holder)
    with vault.transaction() as conn:
        jobs = [job] if job else [j.id for j in job_rows.for_owner(conn, account_id, 1000) if j.state in job_rows.ACTIVE]
        made = {j: grants.job_grant(vault, conn, j, expires) for j in jobs}
    keyring.acquire(account_id, holder, HELD, ttl)
    for job_id, grant in made.items():
        keyring.put_job(job_id, grant, expires)
    return True
