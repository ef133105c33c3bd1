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
  files say ``--save "" --appendonly no``) and with ACL users and passwords. Each worker has its own
  X25519 key pair (``jobs.worker_identity``). The web seals each grant to ONE live worker whose public key
  is on the anchor-signed approved list (:class:`ApprovedWorkers`, ``vault.worker_approvals``) and records
  the job's *route* (that worker's id); the job's message goes to that worker's own queue. A worker takes
  only grants routed to it, and a grant routed to another worker does not open with its key. With no live
  approved worker there is no grant at all (never a shared key): the job waits.

  Each worker signs in to Redis as its own ACL user (``services.redis_acl``), which reaches only keys named
  for it: the grants sealed to it wait at ``<prefix>:w:<worker>:job:<job>``. Routes, sent markers and
  account holds are the web's: a worker reads a route (is my message stale?) and writes none of them, so
  a worker hands a grant back to itself without touching the route, and the web clears what a finished
  job left the next time the job is approved or its clinician signs in.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, cast
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from ..errors import ConfigError, IntegrityError
from ..logs import event
from ..vault import crypto, grants, job_rows, worker_approvals
from ..vault.vault import Vault
from . import worker_registry

ROUTE_TTL = 24 * 3600  # how long a job remembers its worker (sticky routing across sign-ins)
NO_WORKER_STEP = "waiting for an approved worker to start"  # the job column holds 64 characters

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
    def route(self, job_id: str) -> str | None: ...
    def routed_elsewhere(self, job_id: str) -> bool: ...


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

    def route(self, job_id: str) -> str | None:
        """In one process every grant is for this process's runner."""
        with self._lock:
            return "local" if job_id in self._jobs else None

    def routed_elsewhere(self, job_id: str) -> bool:
        return False

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
# Take the job's grant (GET and DEL) only when it is routed to this worker (ARGV[1]); "expires|worker|sealed".
_TAKE = """
local v = redis.call('GET', KEYS[1])
if not v then return false end
local a = string.find(v, '|', 1, true)
local b = a and string.find(v, '|', a + 1, true)
if b and string.sub(v, a + 1, b - 1) ~= ARGV[1] then return false end
redis.call('DEL', KEYS[1])
return v
"""
# At most one message per (job, worker): send only when the job was not already sent to that worker.
_CLAIM_SEND = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
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


def broker_url(settings: Any, worker: str | None = None) -> str:
    """``broker_url`` with the password of its ACL user read from ``broker_password_file`` (never from env).
    A worker (``worker``: its id) puts its id where the user name says ``{worker}``: each worker its own user."""
    url: str = settings.broker_url
    parts = urlsplit(url)
    user = unquote(parts.username or "")
    if "{worker}" in user and worker is None:
        raise ConfigError("broker_url names a user per worker ({worker}); only a worker uses it")
    if worker is not None and "{worker}" in user:
        user = user.replace("{worker}", worker)
    elif not getattr(settings, "broker_password_file", ""):
        return url
    password = parts.password
    if getattr(settings, "broker_password_file", ""):
        try:
            password = Path(settings.broker_password_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"broker password file {settings.broker_password_file}: {exc.strerror}") from None
    secret = f":{quote(unquote(password), safe='')}" if password else ""
    netloc = f"{quote(user or 'default', safe='')}{secret}@{parts.hostname or ''}" + (
        f":{parts.port}" if parts.port else "")
    return str(urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)))


class Recipients(Protocol):
    def pick(self, job_id: str, previous: str | None) -> tuple[str, bytes] | None: ...


class OneKey:
    """A single recipient: a worker handing a grant back to itself (retry, lease); tests."""

    def __init__(self, public: bytes) -> None:
        self.public = public

    def pick(self, job_id: str, previous: str | None) -> tuple[str, bytes] | None:
        return worker_approvals.worker_id(self.public), self.public


class ApprovedWorkers:
    """The web's choice: a live worker on the anchor-signed approved list, the job's previous worker while it
    is still one, else the least loaded. A list that fails its signature approves nobody."""

    def __init__(self, client: Any, prefix: str, anchor_dir: Path) -> None:
        self.client, self.prefix, self.anchor_dir = client, prefix, anchor_dir

    def pick(self, job_id: str, previous: str | None) -> tuple[str, bytes] | None:
        try:
            approved = worker_approvals.approved_keys(self.anchor_dir)
        except (IntegrityError, ConfigError) as exc:
            event("keyring.approved_workers_refused", logging.WARNING, job=job_id, error=type(exc).__name__)
            return None
        live = worker_registry.live_approved(self.client, self.prefix, approved)
        chosen = previous if previous in live else worker_registry.least_loaded(self.client, live)
        return (chosen, live[chosen]) if chosen else None

    def anyone_live(self) -> bool:
        """Is any approved worker running now (cheap enough for the web's sweep)?"""
        try:
            return bool(worker_registry.live_approved(self.client, self.prefix,
                                                      worker_approvals.approved_keys(self.anchor_dir)))
        except (IntegrityError, ConfigError):
            return False


def for_web(settings: Any) -> RedisKeyring:
    """The web server's keyring: seals each grant to one live approved worker's key; opens none."""
    keyring = RedisKeyring(broker_url(settings))
    keyring.recipients = ApprovedWorkers(keyring.client, keyring.prefix, worker_approvals.directory(settings))
    return keyring


def for_worker(settings: Any, private: bytes) -> RedisKeyring:
    """A worker's keyring: its own private key (``jobs.worker_identity``); it takes only grants routed to it."""
    return RedisKeyring(broker_url(settings, worker=worker_approvals.worker_id(grants.public_of(private))),
                        private=private)


class RedisKeyring:
    def __init__(self, url: str, *, public: bytes | None = None, private: bytes | None = None,
                 prefix: str = "sessionlens") -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self.private = private
        own = grants.public_of(private) if private else None
        self.worker_id = worker_approvals.worker_id(own) if own else None
        self.public = public if public is not None else own
        self.recipients: Recipients | None = OneKey(self.public) if self.public is not None else None
        self.on_route: Callable[[str], None] | None = None  # the web's runner: send the job to its worker
        self.prefix = prefix
        self._acquire = self.client.register_script(_ACQUIRE)
        self._release = self.client.register_script(_RELEASE)
        self._take = self.client.register_script(_TAKE)
        self._claim_send = self.client.register_script(_CLAIM_SEND)

    def _keys(self, account_id: str) -> list[str]:
        return [f"{self.prefix}:holders:{account_id}", f"{self.prefix}:held:{account_id}"]

    def grant_key(self, job_id: str, wid: str) -> str:
        return worker_registry.grant_key(self.prefix, wid, job_id)

    def _holder_of(self, job_id: str) -> str | None:
        """Whose grant key this keyring means: a worker's own; for the web, the job's routed worker."""
        return self.worker_id if self.worker_id is not None else self.route(job_id)

    def _route_key(self, job_id: str) -> str:
        return f"{self.prefix}:jobroute:{job_id}"

    def _sent_key(self, job_id: str) -> str:
        return f"{self.prefix}:jobsent:{job_id}"

    def acquire(self, account_id: str, holder: str, grant: bytes = HELD, ttl: int = DEFAULT_TTL) -> None:
        self._acquire(keys=self._keys(account_id), args=[holder, HELD, int(ttl)])

    def release(self, account_id: str, holder: str) -> bool:
        job = _job_of(holder)
        if self.worker_id is not None:  # a worker's job ended: its own grant goes; the rest is the web's
            if job:
                self.client.delete(self.grant_key(job, self.worker_id))
            return False
        if job:  # the job is over: its grant, route and message marker go
            routed = self.route(job)
            self.client.delete(self._route_key(job), self._sent_key(job),
                               *([self.grant_key(job, routed)] if routed else []))
        return bool(self._release(keys=self._keys(account_id), args=[holder]))

    def get(self, account_id: str) -> bytes | None:
        return cast(bytes | None, self.client.get(self._keys(account_id)[1]))  # redis-py types replies loosely

    def holders(self, account_id: str) -> set[str]:
        return {h.decode() for h in cast(set[bytes], self.client.smembers(self._keys(account_id)[0]))}

    def put_job(self, job_id: str, grant: bytes, expires: int) -> None:
        """Seal the grant to one worker (``recipients``) and route the job to it; with no live approved
        worker nothing is stored (named in the log; the job waits)."""
        if self.recipients is None:
            raise ConfigError("this keyring has no worker keys to seal grants to")
        ttl = math.ceil(expires - time.time())
        if ttl <= 0:  # already lapsed: nothing to lend
            self.drop_job(job_id)
            return
        if self.worker_id is not None and self.public is not None:  # a worker hands its grant back to itself;
            self._store(job_id, self.worker_id, self.public, grant, expires, ttl)  # routes are the web's
            return
        previous = self.route(job_id)
        chosen = self.recipients.pick(job_id, previous)
        if chosen is None:
            self.drop_job(job_id)
            event("job.no_approved_worker", logging.WARNING, job=job_id)
            return
        wid, public = chosen
        if previous is not None and previous != wid:  # moved: the grant left for the old worker goes
            self.client.delete(self.grant_key(job_id, previous))
        self._store(job_id, wid, public, grant, expires, ttl)
        self.client.set(self._route_key(job_id), wid, ex=ROUTE_TTL)
        if self.on_route is not None:
            self.on_route(job_id)

    def _store(self, job_id: str, wid: str, public: bytes, grant: bytes, expires: int, ttl: int) -> None:
        sealed = grants.seal_grant(public, grant, job_id, int(expires))
        self.client.set(self.grant_key(job_id, wid), f"{int(expires)}|{wid}|".encode() + sealed, ex=ttl)

    def route(self, job_id: str) -> str | None:
        """The worker the job's grant is sealed to (and whose queue gets its message), if any."""
        found = cast(bytes | None, self.client.get(self._route_key(job_id)))
        return found.decode() if found else None

    def routed_elsewhere(self, job_id: str) -> bool:
        """A worker's question: is this job now routed to another worker (this one's message is stale)?"""
        routed = self.route(job_id)
        return routed is not None and self.worker_id is not None and routed != self.worker_id

    def drop_routes_to(self, wid: str) -> list[str]:
        """A revoked worker: the grants sealed to it that it has not taken go (with their routes), so it takes
        none of them. Returns those jobs (the caller marks them waiting for a worker: the web's sweep or a
        sign-in seals them anew for another)."""
        dropped = []
        for key in self.client.scan_iter(match=self.grant_key("*", wid), count=500):
            if self.client.delete(key):
                dropped.append(key.decode().rsplit(":", 1)[-1])
        for key in self.client.scan_iter(match=f"{self.prefix}:jobroute:*", count=500):
            if self.client.get(key) == wid.encode():
                job_id = key.decode().rsplit(":", 1)[-1]
                self.client.delete(self._route_key(job_id), self._sent_key(job_id))
        return sorted(dropped)

    def claim_dispatch(self, job_id: str, wid: str) -> bool:
        """True once per (job, worker) until the job ends: the one message to send to that worker's queue."""
        return bool(self._claim_send(keys=[self._sent_key(job_id)], args=[wid, ROUTE_TTL]))

    def unclaim_dispatch(self, job_id: str) -> None:
        """The message could not be sent: a later sealing may send it again."""
        self.client.delete(self._sent_key(job_id))

    def job_grant(self, job_id: str) -> bytes | None:
        """The job's grant, opened (workers only); None when absent or lapsed. A grant that fails to open
        (moved from another job, expiry altered, sealed to another key) raises IntegrityError."""
        if self.private is None:
            raise ConfigError("only a worker (its own key pair) opens key grants")
        return self._open(job_id, cast(bytes | None, self.client.get(self.grant_key(job_id, self.worker_id or ""))))

    def take_job(self, job_id: str) -> bytes | None:
        """Like ``job_grant``, but the grant leaves Redis in the same step (GET and DEL in one script): a
        grant a worker consumed is no longer there for anyone else to read; ``put_job`` hands it back. A grant
        routed to another worker is left where it is (None)."""
        if self.private is None:
            raise ConfigError("only a worker (its own key pair) opens key grants")
        taken = self._take(keys=[self.grant_key(job_id, self.worker_id or "")], args=[self.worker_id or ""])
        return self._open(job_id, cast(bytes | None, taken))

    def _open(self, job_id: str, stored: bytes | None) -> bytes | None:
        if stored is None or self.private is None:
            return None
        head, _, rest = stored.partition(b"|")
        sealed = rest.partition(b"|")[2]  # "expires|worker|sealed": the worker id only routes; the key decides
        try:
            expires = int(head)
        except ValueError:
            raise IntegrityError(f"the key grant of job {job_id} is malformed") from None
        if time.time() >= expires:
            return None
        return grants.open_grant(self.private, sealed, job_id, expires)

    def drop_job(self, job_id: str) -> None:
        holder = self._holder_of(job_id)
        if holder is not None:
            self.client.delete(self.grant_key(job_id, holder))

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
    # Workers cannot clear a route or a sent marker (the web's keys): a job approved again (a retry) starts
    # from nothing, and a sign-in clears what the account's finished jobs left.
    ended = [holder] if job else [h for h in keyring.holders(account_id) if _job_of(h) not in (None, *jobs)]
    for gone in ended:
        keyring.release(account_id, gone)
    keyring.acquire(account_id, holder, HELD, ttl)
    for job_id, grant in made.items():
        keyring.put_job(job_id, grant, expires)
    return True


def route_waiting(vault: Vault, account_id: str, keyring: Keyring) -> int:
    """A signed-in account's jobs that wait for a worker (none approved was running when they were approved, or
    theirs was revoked: state waiting, step :data:`NO_WORKER_STEP`) get their grant and go to a worker as soon
    as one runs; the web's sweep calls this. Only jobs the web itself marked so: a route deleted in Redis
    does not make the sweep re-seal a job. Practice server only; returns how many were routed."""
    if not isinstance(getattr(keyring, "recipients", None), ApprovedWorkers):
        return 0
    if vault.account_kek(account_id) is None and not vault.has_vault_kek:
        return 0
    with vault.transaction() as conn:
        marked = [j.id for j in job_rows.for_owner(conn, account_id, 1000)
                  if j.state == job_rows.WAITING and j.step == NO_WORKER_STEP]
    unrouted = [j for j in marked if keyring.route(j) is None]
    if not unrouted or not cast(ApprovedWorkers, cast(RedisKeyring, keyring).recipients).anyone_live():
        return 0
    expires = int(time.time()) + int(vault.settings.job_grant_ttl_seconds)
    with vault.transaction() as conn:
        made = {j: grants.job_grant(vault, conn, j, expires) for j in unrouted}
    for job_id, grant in made.items():
        keyring.put_job(job_id, grant, expires)
    return sum(1 for j in unrouted if keyring.route(j) is not None)
