"""Online guessing: sign-in attempts throttled per source address and per account, before any key derivation.

The throttle has its own short lock (never the vault keeper's), so one client hammering the sign-in
form costs it a dictionary lookup, not an Argon2 derivation, and never stalls other people's sign-ins
or the idle sweeper. Failures count whether or not the vault is open (a laptop vault is closed until its
owner signs in; a practice server may have nobody signed in). With a state file (the web server's data
directory, ``signin-throttle.json``, mode 0600) the failure times survive a restart; the names and
addresses in it are keyed hashes (HMAC under ``signin-throttle.key``, 0600), never the text typed.

Refused attempts (429) are audited in aggregate: at most one ``login.throttled`` entry per source per
window, carrying how many attempts were refused since the last one, so a flood cannot flood the chain.

Every failure is audited. While the vault is closed there is no audit key in memory, so failures are
kept here (time, account name, source, reason — no secret) and written to the audit trail as soon as
the vault opens again; :meth:`SignInGuard.unaudited` is what is still waiting.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, select

from ..errors import AuthError
from ..vault.ids import now_iso
from ..vault.models import accounts
from ..vault.vault import Vault

# The one answer to a failed sign-in: wrong password, unknown account, locked, disabled — all alike.
SIGN_IN_FAILED = "wrong account name or password, or this account cannot sign in now"
MAX_UNAUDITED = 10_000  # failures kept while the vault is closed (older ones are summarised by count)
STATE_FILE, KEY_FILE = "signin-throttle.json", "signin-throttle.key"
log = logging.getLogger("sessionlens.signin")


class ThrottledError(AuthError):
    """Too many failed attempts from this source or for this account (429 on the web)."""

    http_status = 429


@dataclass(frozen=True, slots=True)
class Failure:
    at: str
    account: str  # the name typed ("" = the owner's passphrase), in memory only; never the secret
    source: str
    reason: str


class _Window:
    """Failure times per key inside a sliding window."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit, self.seconds = limit, seconds
        self.hits: dict[str, deque[float]] = {}

    def _prune(self, key: str, now: float) -> deque[float]:
        q = self.hits.get(key)
        if q is None:
            return deque()
        while q and now - q[0] > self.seconds:
            q.popleft()
        if not q:
            self.hits.pop(key, None)
        return q

    def wait(self, key: str, now: float) -> float:
        """Seconds until ``key`` may try again (0: now)."""
        q = self._prune(key, now)
        return 0.0 if len(q) < self.limit else max(1.0, self.seconds - (now - q[0]))

    def add(self, key: str, now: float) -> None:
        self.hits.setdefault(key, deque()).append(now)
        if len(self.hits) > 100_000:  # a flood of distinct keys: forget the oldest rather than grow forever
            self.hits.pop(next(iter(self.hits)))


class SignInGuard:
    def __init__(self, account_limit: int, ip_limit: int, window_seconds: float,
                 clock: Callable[[], float] = time.time, state_dir: Path | None = None) -> None:
        self._accounts = _Window(account_limit, window_seconds)
        self._sources = _Window(ip_limit, window_seconds)
        self._clock = clock  # wall time: the saved failure times must mean the same after a restart
        self._lock = threading.Lock()
        self._unaudited: list[Failure] = []
        self._dropped = 0
        self._refused: dict[str, tuple[float, int]] = {}  # source -> (last login.throttled entry, count since)
        if state_dir is not None and not state_dir.is_dir():
            state_dir = None  # no data directory yet (before set-up): nothing to keep across a restart
        self._state = state_dir / STATE_FILE if state_dir else None
        self._hash_key = _hash_key(state_dir) if state_dir else secrets.token_bytes(32)
        self._load()

    @classmethod
    def from_settings(cls, settings: object, state_dir: Path | None = None) -> SignInGuard:
        attempts = int(getattr(settings, "lockout_attempts", 5))
        minutes = float(getattr(settings, "lockout_minutes", 15))
        return cls(attempts, attempts * 4, minutes * 60, state_dir=state_dir)

    def _k(self, text: str) -> str:
        """What the windows are keyed by: a keyed hash, so the state file holds no name or mistyped secret."""
        return hmac.new(self._hash_key, text.encode(), hashlib.sha256).hexdigest()[:32]

    def check(self, source: str, account: str) -> None:
        """Raise ThrottledError when this source or account has failed too often lately (cheap; no Argon2)."""
        with self._lock:
            now = self._clock()
            wait = max(self._sources.wait(self._k(source), now), self._accounts.wait(self._k(account.lower()), now))
        if wait:
            raise ThrottledError(f"too many failed sign-ins; try again in {int(wait) + 1} seconds")

    def failed(self, source: str, account: str, reason: str) -> Failure:
        with self._lock:
            now = self._clock()
            self._sources.add(self._k(source), now)
            self._accounts.add(self._k(account.lower()), now)
            self._save()
        return Failure(now_iso(), account[:64], source[:64], reason)

    def succeeded(self, account: str) -> None:
        with self._lock:
            if self._accounts.hits.pop(self._k(account.lower()), None) is not None:
                self._save()

    def refused(self, source: str, *, can_audit: bool) -> int:
        """Count a 429 for ``source``; the count to write now (0: not yet — one entry per source per window)."""
        with self._lock:
            now = self._clock()
            last, count = self._refused.get(source, (float("-inf"), 0))
            count += 1
            if can_audit and now - last >= self._sources.seconds:
                self._refused[source] = (now, 0)
                return count
            self._refused[source] = (last, count)
            if len(self._refused) > 100_000:  # a flood of distinct sources: forget the oldest
                self._refused.pop(next(iter(self._refused)))
            return 0

    def unrefuse(self, source: str, count: int) -> None:
        """The entry could not be written: keep its count for the next one."""
        with self._lock:
            self._refused[source] = (float("-inf"), self._refused.get(source, (0.0, 0))[1] + count)

    def _load(self) -> None:
        if self._state is None or not self._state.exists():
            return
        try:
            doc = json.loads(self._state.read_text(encoding="utf-8"))
            for window, name in ((self._sources, "sources"), (self._accounts, "accounts")):
                for key, times in dict(doc.get(name, {})).items():
                    window.hits[str(key)] = deque(float(t) for t in times)
        except (OSError, ValueError, TypeError, AttributeError):
            log.warning("sign-in throttle state unreadable; starting empty")

    def _save(self) -> None:
        """Atomically replace the state file (temporary file, rename); called under the lock."""
        if self._state is None:
            return
        now = self._clock()
        doc = {name: {k: list(w._prune(k, now)) for k in list(w.hits)}
               for w, name in ((self._sources, "sources"), (self._accounts, "accounts"))}
        tmp = self._state.with_suffix(".tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump({n: {k: v for k, v in d.items() if v} for n, d in doc.items()}, f)
            os.replace(tmp, self._state)
        except OSError as exc:
            log.warning("sign-in throttle state not saved: %s", type(exc).__name__)

    def keep(self, failure: Failure) -> None:
        """The vault is closed: audit this failure when it opens."""
        with self._lock:
            if len(self._unaudited) < MAX_UNAUDITED:
                self._unaudited.append(failure)
            else:
                self._dropped += 1

    def unaudited(self) -> list[Failure]:
        with self._lock:
            return list(self._unaudited)

    def flush(self, vault: Vault) -> int:
        """Write the failures kept while the vault was closed to its audit trail; returns how many."""
        with self._lock:
            kept, dropped = self._unaudited, self._dropped
            self._unaudited, self._dropped = [], 0
        if not kept and not dropped:
            return 0
        try:
            with vault.transaction() as conn:
                for f in kept:
                    audit_failure(vault, conn, f, while_closed=True)
                if dropped:
                    vault.audit(conn, actor="unknown", action="login.failed", target="-",
                                detail={"reason": "not_recorded", "count": dropped, "while_closed": True})
        except Exception:
            with self._lock:  # keep them for the next opening rather than lose them
                self._unaudited[:0] = kept
                self._dropped += dropped
            raise
        return len(kept) + dropped


def _hash_key(state_dir: Path) -> bytes:
    """The HMAC key of the state file's names (made once, 0600, beside it)."""
    path = state_dir / KEY_FILE
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(secrets.token_bytes(32))
        except FileExistsError:  # another process made it a moment ago
            pass
    return path.read_bytes()


def record_refusal(vault: Vault | None, guard: SignInGuard, source: str) -> None:
    """A 429: one ``login.throttled`` entry per source per window, with the count refused since the last."""
    count = guard.refused(source, can_audit=vault is not None)
    if not count or vault is None:
        return
    try:
        with vault.transaction() as conn:
            vault.audit(conn, actor="unknown", action="login.throttled", target="-",
                        detail={"source": source[:64], "count": count})
    except Exception:  # noqa: BLE001 - e.g. the vault closed meanwhile: the next entry carries the count
        guard.unrefuse(source, count)


def audit_failure(vault: Vault, conn: Connection, f: Failure, *, while_closed: bool = False) -> None:
    """One ``login.failed`` entry. The name typed is never written (it may be a mistyped password): the
    entry names the account only when one by that name exists."""
    target = "-"
    if f.account:
        row = conn.execute(select(accounts.c.id).where(accounts.c.username == f.account)).first()
        target = row.id if row else "-"
    else:
        row = conn.execute(select(accounts.c.id).where(accounts.c.is_owner == 1)).first()
        target = row.id if row else "-"
    detail: dict[str, object] = {"reason": f.reason, "source": f.source, "at": f.at}
    if while_closed:
        detail["while_closed"] = True
    vault.audit(conn, actor="unknown", action="login.failed", target=target, detail=detail)


def record(vault: Vault | None, guard: SignInGuard, failure: Failure) -> None:
    """Audit now when the vault is open, else keep it for the next opening."""
    if vault is None:
        guard.keep(failure)
        return
    try:
        with vault.transaction() as conn:
            audit_failure(vault, conn, failure)
    except Exception:  # noqa: BLE001 - e.g. the vault closed meanwhile: keep it rather than lose it
        guard.keep(failure)
