"""Rendered pages kept for a signed-in account (issue 19).

A clinician goes back and forth between a session's review page and its note editor, often in
several tabs; rendering the review of a 60-minute session (577 lines, about 0.5 MB of HTML from the
1 MB analysis document) was most of the server's work under load. A page is kept, per account,
under a key made of everything it shows: the analysis record's id (a rewritten analysis is a new
record), a fingerprint of the session header (names, status, corrections, recordings) and, for the
note editor, of the note, plus the template, path and query. Each browser session's own CSRF token
is put into the kept page when it is sent. The request itself still runs the permission checks and
is audited as before; only the decrypting, parsing and rendering are skipped. When several
requests want the same missing page at once, one renders it and the others wait for it; at most two
pages are rendered at a time in the whole server.

The pages hold PHI in memory only: they go when the account's last browser session signs out,
expires or is closed because the account changed — the moment its keys may go too.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

PAGES_PER_ACCOUNT = 6  # reviews and note editors of a few sessions: ~3 MB at most per account
CSRF_SLOT = f"csrf-{secrets.token_hex(16)}"  # stands for the CSRF token in a kept page (never sent)
# At most two pages rendered at once, whoever asks: renders share one interpreter lock, so ten at once all
# finish late, while two at a time finish in turn (measured: 50 users on PostgreSQL, p95 453 -> 303 ms).
RENDERING = threading.BoundedSemaphore(2)


def fingerprint(value: object) -> str:
    """A digest of a JSON-like value (key order does not matter)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class PageCache:
    """The last few rendered pages of one account, least recently used out first."""

    def __init__(self, size: int = PAGES_PER_ACCOUNT) -> None:
        self._size = size
        self._pages: OrderedDict[Hashable, str] = OrderedDict()
        self._making: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def _kept(self, key: Hashable) -> str | None:
        with self._lock:
            html = self._pages.get(key)
            if html is not None:
                self._pages.move_to_end(key)
            return html

    def page(self, key: Hashable, make: Callable[[], str]) -> str:
        """The page kept under ``key``, or ``make()``'s (made once however many ask at once), then kept."""
        if (html := self._kept(key)) is not None:
            return html
        with self._lock:
            making = self._making.setdefault(key, threading.Lock())
        with making:  # the first renders; the others wait here, then find its page
            if (html := self._kept(key)) is not None:
                return html
            with RENDERING:
                html = make()
            with self._lock:
                self._pages[key] = html
                while len(self._pages) > self._size:
                    self._pages.popitem(last=False)
                self._making.pop(key, None)
        return html

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()

    def __len__(self) -> int:
        return len(self._pages)
