"""The append-only, hash-chained audit trail.

Entry *n* stores ``hash = SHA-256(canonical(seq, at, actor, action, target, detail, prev_hash))``
with ``prev_hash`` the hash of entry *n-1* (64 zeros for the first), plus an HMAC of that hash
under a key derived from the KEK. The chain alone detects any modified, deleted, reordered or
inserted entry by someone who does not recompute it; the MAC detects one who does but lacks
the vault key. Every account holds that key, so the head is also anchored outside the database after
each commit (vault/anchor.py, signed with a key no account holds): a rewrite or truncation by someone
with database write is caught against the anchor; an exported head (``audit head``) still works for
comparing by hand. Entries never hold PHI: ids, actions, counts.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from ..errors import InputError
from . import keys
from .ids import now_iso
from .models import audit_head, audit_log

GENESIS = "0" * 64
APPENDED = "sessionlens.audit_appended"
_SCALARS = (str, int, float, bool, type(None))


@dataclass(frozen=True, slots=True)
class Entry:
    seq: int
    at: str
    actor: str
    action: str
    target: str
    detail: str
    prev_hash: str
    hash: str
    mac: str


@dataclass(frozen=True, slots=True)
class Head:
    seq: int
    hash: str


@dataclass(frozen=True, slots=True)
class Verdict:
    """Outcome of a verification; ``first_bad`` is the sequence number where the chain breaks."""

    ok: bool
    checked: int
    first_bad: int | None = None
    reason: str = ""
    head: Head | None = None

    def message(self) -> str:
        if self.ok:
            return f"audit chain intact: {self.checked} entries"
        return f"audit entry #{self.first_bad} is bad: {self.reason}"


def canonical_detail(detail: Mapping[str, Any] | None) -> str:
    """Details are flat scalars (or lists of them): ids, counts, kinds — never free text from a user."""
    clean: dict[str, Any] = {}  # raw JSON boundary: audit detail fields, checked to scalars below
    for k, v in (detail or {}).items():
        ok = isinstance(v, _SCALARS) or (isinstance(v, list | tuple) and all(isinstance(x, _SCALARS) for x in v))
        if not ok:
            raise InputError(f"audit detail {k!r} must be a scalar or a list of scalars")
        clean[k] = list(v) if isinstance(v, list | tuple) else v
    return json.dumps(clean, sort_keys=True, separators=(",", ":"))


def entry_hash(seq: int, at: str, actor: str, action: str, target: str, detail: str, prev_hash: str) -> str:
    blob = json.dumps([seq, at, actor, action, target, detail, prev_hash], separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def make_entry(prev: Head, mac_key: bytes, *, at: str, actor: str, action: str, target: str,
               detail: Mapping[str, Any] | None = None) -> Entry:
    seq = prev.seq + 1
    text = canonical_detail(detail)
    digest = entry_hash(seq, at, actor, action, target, text, prev.hash)
    return Entry(seq, at, actor, action, target, text, prev.hash, digest, keys.mac(mac_key, digest.encode()))


def head_mac(mac_key: bytes, head: Head) -> str:
    return keys.mac(mac_key, f"head:{head.seq}:{head.hash}".encode())


def entry_problem(e: Entry, expected_seq: int, prev: str, mac_key: bytes | None) -> str:
    if e.seq != expected_seq:
        return f"sequence number {e.seq} where {expected_seq} was expected (an entry was deleted, moved or inserted)"
    if e.prev_hash != prev:
        return "does not link to the entry before it (deleted, moved or inserted)"
    if entry_hash(e.seq, e.at, e.actor, e.action, e.target, e.detail, e.prev_hash) != e.hash:
        return "its content does not match its hash (modified)"
    if mac_key is not None and not keys.mac_equal(keys.mac(mac_key, e.hash.encode()), e.mac):
        return "its MAC does not verify (rewritten without the vault key)"
    return ""


def verify_chain(entries: Iterable[Entry], mac_key: bytes | None = None, head: Head | None = None,
                 *, head_is_last: bool = False) -> Verdict:
    """Walk the chain in stored order; the first entry that fails names the break.

    ``head`` is a chain head known from elsewhere (the stored head, or one exported earlier):
    the entry at ``head.seq`` must carry ``head.hash``; with ``head_is_last`` it must also be the last.
    """
    prev, count, seen = GENESIS, 0, {}
    for pos, e in enumerate(entries):
        why = entry_problem(e, pos + 1, prev, mac_key)
        if why:
            return Verdict(False, pos, pos + 1, why)
        prev, count = e.hash, pos + 1
        seen[e.seq] = e.hash
    last = Head(count, prev)
    if head is not None:
        if head.seq > count:
            return Verdict(False, count, count + 1, f"entries {count + 1}..{head.seq} are missing (known head)")
        if seen.get(head.seq, GENESIS) != head.hash:
            return Verdict(False, count, head.seq, "differs from the known chain head (rewritten)")
        if head_is_last and head.seq != count:
            return Verdict(False, count, head.seq + 1, "entries were appended after the recorded head")
    return Verdict(True, count, head=last)


# --- storage -----------------------------------------------------------------------------------

def append(conn: Connection, mac_key: bytes, *, actor: str, action: str, target: str,
           detail: Mapping[str, Any] | None = None) -> Entry:
    """Append one entry inside the caller's transaction (it commits or rolls back with the change it records)."""
    row = conn.execute(select(audit_head).where(audit_head.c.id == 1).with_for_update()).first()
    prev = Head(row.seq, row.hash) if row else Head(0, GENESIS)
    entry = make_entry(prev, mac_key, at=now_iso(), actor=actor, action=action, target=target, detail=detail)
    conn.execute(insert(audit_log).values(**asdict(entry)))
    new_head = Head(entry.seq, entry.hash)
    values = {"seq": entry.seq, "hash": entry.hash, "mac": head_mac(mac_key, new_head)}
    if row:
        conn.execute(update(audit_head).where(audit_head.c.id == 1).values(**values))
    else:
        conn.execute(insert(audit_head).values(id=1, **values))
    conn.info[APPENDED] = True  # the vault moves the anchor forward once this transaction commits
    return entry


def load(conn: Connection) -> list[Entry]:
    rows = conn.execute(select(audit_log).order_by(audit_log.c.seq)).all()
    return [Entry(**r._mapping) for r in rows]


def verify_stored(conn: Connection, mac_key: bytes, known_head: Head | None = None) -> Verdict:
    """Verify the stored chain against its stored head (and an exported head, if given)."""
    entries = load(conn)
    row = conn.execute(select(audit_head).where(audit_head.c.id == 1)).first()
    stored = Head(row.seq, row.hash) if row else Head(0, GENESIS)
    if row and not keys.mac_equal(head_mac(mac_key, stored), row.mac):
        return Verdict(False, 0, stored.seq, "the stored chain head's MAC does not verify")
    verdict = verify_chain(entries, mac_key, stored, head_is_last=True)
    if verdict.ok and known_head is not None:
        verdict = verify_chain(entries, mac_key, known_head)
    return verdict


def entries_for(conn: Connection, target: str) -> Sequence[Entry]:
    rows = conn.execute(select(audit_log).where(audit_log.c.target == target).order_by(audit_log.c.seq)).all()
    return [Entry(**r._mapping) for r in rows]
