"""Online guessing: sign-in attempts throttled per source address and per account, before any key derivation.

The throttle lives in memory and has its own short lock (never the vault keeper's), so one client
hammering the sign-in form costs it a dictionary lookup, not an Argon2 derivation, and never stalls
other people's sign-ins or the idle sweeper. Failures count whether or not the vault is open (a
laptop vault is closed until its owner signs in; a practice server may have nobody signed in).

Every failure is audited. While the vault is closed there is no audit key in memory, so failures are
kept here (time, account name, source, reason — no secret) and written to the audit trail as soon as
the vault opens again; :meth:`SignInGuard.unaudited` is what is still waiting.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, select

from ..errors import AuthError
from ..vault.ids import now_iso
from ..vault.models import accounts
from ..vault.vault import Vault

# The one answer to a failed sign-in: wrong password, unknown account, locked, disabled — all alike.
SIGN_IN_FAILED = "wrong account name or password, or this account cannot sign in now"
MAX_UNAUDITED = 10_000  # failures kept while the vault is closed (older ones are summarised by count)


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
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._accounts = _Window(account_limit, window_seconds)
        self._sources = _Window(ip_limit, window_seconds)
        self._clock = clock
        self._lock = threading.Lock()
        self._unaudited: list[Failure] = []
        self._dropped = 0

    @classmethod
    def from_settings(cls, settings: object) -> SignInGuard:
        attempts = int(getattr(settings, "lockout_attempts", 5))
        minutes = float(getattr(settings, "lockout_minutes", 15))
        return cls(attempts, attempts * 4, minutes * 60)

    def check(self, source: str, account: str) -> None:
        """Raise ThrottledError when this source or account has failed too often lately (cheap; no Argon2)."""
        with self._lock:
            now = self._clock()
            wait = max(self._sources.wait(source, now), self._accounts.wait(account.lower(), now))
        if wait:
            raise ThrottledError(f"too many failed sign-ins; try again in {int(wait) + 1} seconds")

    def failed(self, source: str, account: str, reason: str) -> Failure:
        with self._lock:
            now = self._clock()
            self._sources.add(source, now)
            self._accounts.add(account.lower(), now)
        return Failure(now_iso(), account[:64], source[:64], reason)

    def succeeded(self, account: str) -> None:
        with self._lock:
            self._accounts.hits.pop(account.lower(), None)

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
