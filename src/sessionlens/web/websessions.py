"""Server-side web sessions: a random token in the cookie, only its hash kept here.

Each session has an idle timeout and an absolute lifetime; signing out deletes it on the server,
so a copied cookie stops working at once. Signing in always makes a new token (no fixation).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ..services.context import Ctx
from .page_cache import PageCache


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class WebSession:
    ctx: Ctx
    standing: str | None = None  # the account's role/disabled/password fingerprint at sign-in
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    created: float = field(default_factory=time.monotonic)
    seen: float = field(default_factory=time.monotonic)
    pages: PageCache = field(default_factory=PageCache)  # the account's rendered pages (PHI, memory; shared)

    @property
    def account_id(self) -> str:
        return self.ctx.actor.id


class SessionStore:
    def __init__(self, idle_seconds: float, lifetime_seconds: float,
                 on_empty: Callable[[], None] | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.idle, self.lifetime, self.clock = idle_seconds, lifetime_seconds, clock
        self._on_empty = on_empty
        self._items: dict[str, WebSession] = {}
        self._pages: dict[str, PageCache] = {}  # per account, while it has a live browser session
        self._lock = threading.Lock()

    def create(self, ctx: Ctx, standing: str | None = None) -> tuple[str, WebSession]:
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with self._lock:
            pages = self._pages.setdefault(ctx.actor.id, PageCache())
            session = WebSession(ctx, standing, created=now, seen=now, pages=pages)
            self._items[_digest(token)] = session
        return token, session

    def get(self, token: str | None) -> WebSession | None:
        """The live session for ``token`` (touching it), or None when unknown or expired."""
        if not token or len(token) > 200:
            return None
        key, now, expired = _digest(token), self.clock(), False
        with self._lock:
            session = self._items.get(key)
            if session is not None and (now - session.seen > self.idle or now - session.created > self.lifetime):
                del self._items[key]
                self._forget_pages()
                session, expired = None, True
            elif session is not None:
                session.seen = now
        if expired:
            self._emptied()
        return session

    def drop(self, token: str | None) -> None:
        if token:
            with self._lock:
                self._items.pop(_digest(token), None)
                self._forget_pages()
            self._emptied()

    def account_ids(self) -> set[str]:
        self.sweep()
        with self._lock:
            return {s.account_id for s in self._items.values()}

    def count(self) -> int:
        self.sweep()
        with self._lock:
            return len(self._items)

    def sweep(self) -> None:
        now = self.clock()
        with self._lock:
            for key in [k for k, s in self._items.items()
                        if now - s.seen > self.idle or now - s.created > self.lifetime]:
                del self._items[key]
            self._forget_pages()

    def _forget_pages(self) -> None:
        """Under the lock: the kept pages of accounts with no live browser session go."""
        live = {s.account_id for s in self._items.values()}
        for account in [a for a in self._pages if a not in live]:
            self._pages.pop(account).clear()

    def _emptied(self) -> None:
        """A session ended: the owner of the store re-checks which keys may stay (idempotent)."""
        if self._on_empty is not None:
            self._on_empty()
