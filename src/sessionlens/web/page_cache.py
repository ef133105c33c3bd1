"""Rendered pages kept for one browser session (issue 19).

A clinician goes back and forth between a session's review page and its note editor; rendering
the review of a 60-minute session (577 lines, about 0.5 MB of HTML from the 1 MB analysis document)
was most of the server's work under load. A page is kept, per browser session, under a key made of
everything it shows: the analysis record's id (a rewritten analysis is a new record), a fingerprint
of the session header (names, status, corrections, recordings) and, for the note editor, of the
note. The request itself still runs the permission checks and is audited as before; only the
decrypting, parsing and rendering are skipped.

The pages hold PHI in memory only, in the web session object: they go when the browser session
signs out, expires or is closed because the account changed, like the keys that made them.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

PAGES_PER_SESSION = 4  # a review and a note editor for two sessions: ~1.2 MB at most per browser


def fingerprint(value: object) -> str:
    """A digest of a JSON-like value (key order does not matter)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class PageCache:
    """The last few rendered pages of one browser session, least recently used out first."""

    def __init__(self, size: int = PAGES_PER_SESSION) -> None:
        self._size = size
        self._pages: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = threading.Lock()

    def page(self, key: Hashable, make: Callable[[], str]) -> str:
        """The page kept under ``key``, or ``make()``'s, then kept."""
        with self._lock:
            if (html := self._pages.get(key)) is not None:
                self._pages.move_to_end(key)
                return html
        html = make()  # outside the lock: the browser's other requests go on meanwhile
        with self._lock:
            self._pages[key] = html
            self._pages.move_to_end(key)
            while len(self._pages) > self._size:
                self._pages.popitem(last=False)
        return html

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()

    def __len__(self) -> int:
        return len(self._pages)
