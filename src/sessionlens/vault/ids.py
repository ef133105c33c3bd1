"""Pseudonymous record ids and timestamps.

Ids carry no meaning: a prefix for the record kind and 40 random bits in a lowercase
base32 alphabet without look-alike characters (``c-7f3k2qxa``).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no l, o, 0, 1
PREFIXES = {"vault": "v", "client": "c", "session": "s", "blob": "b", "key": "k", "consent": "n", "account": "a", "share": "h"}


def new_id(kind: str) -> str:
    return f"{PREFIXES[kind]}-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


def now() -> datetime:
    return datetime.now(UTC)


def iso(ts: datetime) -> str:
    """Fixed-width UTC timestamp, identical on every backend."""
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def now_iso() -> str:
    return iso(now())
