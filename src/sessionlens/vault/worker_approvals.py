"""Which workers may receive job grants: a list of approved worker public keys, signed by the anchor key.

::

    <anchor dir>/workers.json   {format, key, workers: {worker id: {public, name, at, by}}, sig}

Each ``sessionlens worker`` has its own X25519 key pair (``jobs.worker_identity``); its id is derived from
the public key (:func:`worker_id`), so an id names one key and nothing else. A worker announces itself in
Redis, but that alone gets it nothing: the web seals a grant only to a key on this list, and the list is
signed with the audit anchor's Ed25519 key (``vault.anchor``), which workers do not hold. Someone with
Redis or database write (a compromised worker) can announce a key, not approve it: an edited list fails
its signature and then no worker gets a grant (refused, never a fallback to another key).
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import TypedDict

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..config import Settings
from ..errors import ConfigError, IntegrityError
from . import anchor, home
from .ids import now_iso

FILE = "workers.json"
FORMAT = 1


class Approval(TypedDict):
    public: str  # the worker's X25519 public key, hex
    name: str  # the name it announced (shown to the admin; not trusted for anything)
    at: str
    by: str  # who approved it


def worker_id(public: bytes) -> str:
    """A worker's id: ``w-`` and the first 16 hex digits of SHA-256 of its public key."""
    return "w-" + hashlib.sha256(public).hexdigest()[:16]


def fingerprint(public: bytes) -> str:
    """What the admin compares with the line the worker printed at start: SHA-256 of the key, hex."""
    return anchor.fingerprint(public)


def directory(settings: Settings) -> Path:
    """The anchor directory of a practice server (PostgreSQL): ``audit_anchor_dir``, else ``<data dir>/anchor``."""
    if settings.audit_anchor_dir:
        return Path(settings.audit_anchor_dir).expanduser().resolve()
    return home.data_dir(settings) / "anchor"


def _body(approved: dict[str, Approval], public_hex: str) -> bytes:
    return json.dumps({"format": FORMAT, "key": public_hex, "workers": approved},
                      sort_keys=True, separators=(",", ":")).encode()


def _anchor_public(anchor_dir: Path) -> Ed25519PublicKey:
    key = anchor.public_key(anchor_dir)
    if key is None:
        raise ConfigError(f"no audit anchor key in {anchor_dir}: approve workers where the web server runs")
    return key


def read(anchor_dir: Path) -> dict[str, Approval]:
    """The approved workers (empty when none was ever approved); IntegrityError if the list is not signed by
    the anchor key or an entry's id does not match its key."""
    path = anchor_dir / FILE
    if not path.exists():
        return {}
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        sig = base64.b64decode(doc["sig"])
        approved: dict[str, Approval] = doc["workers"]
        key = _anchor_public(anchor_dir)
        key.verify(sig, _body(approved, str(doc["key"])))
        if not all(worker_id(bytes.fromhex(a["public"])) == wid for wid, a in approved.items()):
            raise InvalidSignature
    except (ValueError, KeyError, TypeError, InvalidSignature):
        raise IntegrityError(f"record {FILE} (approved workers) is damaged or not signed by the anchor key") from None
    return approved


def approved_keys(anchor_dir: Path) -> dict[str, bytes]:
    """worker id -> its approved public key."""
    return {wid: bytes.fromhex(a["public"]) for wid, a in read(anchor_dir).items()}


def _write(anchor_dir: Path, approved: dict[str, Approval]) -> None:
    key = anchor.signing_key(anchor_dir, create=False)
    if key is None:
        raise ConfigError(f"no audit anchor key in {anchor_dir}: approve workers where the web server runs")
    body = _body(approved, key.public_key().public_bytes_raw().hex())
    anchor.write_signed(anchor_dir / FILE, body, key, 0o644)  # public data; workers need not read it


def approve(anchor_dir: Path, public: bytes, name: str, by: str) -> str:
    """Add a worker's key to the signed list; returns its id."""
    wid = worker_id(public)
    with anchor.locked(anchor_dir / FILE):
        approved = read(anchor_dir)
        approved[wid] = Approval(public=public.hex(), name=name[:80], at=now_iso(), by=by)
        _write(anchor_dir, approved)
    return wid


def revoke(anchor_dir: Path, wid: str) -> bool:
    """Take a worker off the list (it gets no new grant); False when it was not on it."""
    with anchor.locked(anchor_dir / FILE):
        approved = read(anchor_dir)
        if approved.pop(wid, None) is None:
            return False
        _write(anchor_dir, approved)
    return True
