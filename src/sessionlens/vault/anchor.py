"""The audit anchor: the chain head, the escrow key's fingerprint and the shred list, kept outside the database.

::

    <anchor dir>/anchor.key                       Ed25519 private key (0600), made with the first anchor
    <anchor dir>/anchor.pub                       its public half (0644): workers check, they do not sign
    <anchor dir>/<vault id>-<database tag>.json   {vault, seq, hash, at, escrow, shreds, restores, accounts,
                                                   roles, signers, states, record, key, sig}

Every transaction that appended to the audit chain moves the anchor forward (:func:`advance`), but only
along the chain: the entries from the anchored head to the new one must link and carry valid MACs, so a
rewritten or cut chain is never anchored. ``audit verify`` then fails when the chain is shorter than the
anchored head or differs at it (:func:`check`). The anchor directory lives where database users cannot
write (``audit_anchor_dir``); the signature binds the file to the vault and lets a copy kept elsewhere
(an append-only share, the owner's backup medium) be checked with the public key alone.

With ``audit_anchor_copy`` set, every anchor written also appends one signed head line
``{vault, seq, hash, at, epoch, sig}`` to that file (opened O_APPEND: an NFS share with ``chattr +a``, a
file another host collects). ``audit verify --anchor-copy`` then checks every head ever copied against
the chain: someone who later rewrites both the database and this host's anchor directory (even holding
the anchor key) cannot take back a head that already left the host.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import Connection, Engine, select

from ..config import Settings
from ..errors import IntegrityError
from ..payloads.vault_anchor import RestoreMark, ShredMark
from . import audit, home, keys
from .ids import now_iso
from .models import audit_head, audit_log

if TYPE_CHECKING:
    from .vault import Vault

FORMAT = 1
KEY_FILE = "anchor.key"
PUBLIC_FILE = "anchor.pub"
SHRED_ACTIONS = frozenset({"client.shred"})
STATE_PINS = "sessionlens.signing_state_pins"  # conn.info: account id -> (version, hash) to pin after the commit
log = logging.getLogger("sessionlens.anchor")


@dataclass(frozen=True, slots=True)
class Anchor:
    vault: str
    seq: int
    hash: str
    at: str
    escrow: str | None = None  # SHA-256 of the escrow public key, pinned at the first anchor (init)
    shreds: tuple[ShredMark, ...] = field(default_factory=tuple)
    restores: tuple[RestoreMark, ...] = field(default_factory=tuple)
    accounts: dict[str, str] = field(default_factory=dict)  # account id -> fingerprint of its public key
    roles: dict[str, str] = field(default_factory=dict)  # account id -> "role" or "role+owner", as the app set it
    signers: dict[str, str] = field(default_factory=dict)  # account id -> fingerprint of its Ed25519 signing key
    states: dict[str, str] = field(default_factory=dict)  # account id -> "version:sha256" of its sealed signing state
    # The signing migration's record: "role:<id>" / "share:<id>" -> SHA-256 of each row left unsigned when it
    # was taken (vault/signing_sign_in.py), and "taken" -> when. The migration signs only rows matching it.
    record: dict[str, str] = field(default_factory=dict)

    @property
    def head(self) -> audit.Head:
        return audit.Head(self.seq, self.hash)

    def shredded_clients(self) -> set[str]:
        return {s["client"] for s in self.shreds}


# --- where, and with which key ---------------------------------------------------------------------

def directory(settings: Settings, engine: Engine) -> Path:
    """``audit_anchor_dir``, else ``anchor`` beside a SQLite file, else ``anchor`` in the data directory."""
    if settings.audit_anchor_dir:
        return Path(settings.audit_anchor_dir).expanduser().resolve()
    if engine.dialect.name == "sqlite" and engine.url.database:
        return Path(engine.url.database).expanduser().resolve().parent / "anchor"
    return home.data_dir(settings) / "anchor"


def database_tag(engine: Engine) -> str:
    """Names the database (URL without password) so two databases holding one vault id keep two anchors."""
    return hashlib.sha256(engine.url.render_as_string(hide_password=True).encode()).hexdigest()[:12]


def path_for(anchor_dir: Path, vault_id: str, engine: Engine) -> Path:
    return anchor_dir / f"{vault_id}-{database_tag(engine)}.json"


def _private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)


def signing_key(anchor_dir: Path, *, create: bool = True) -> Ed25519PrivateKey | None:
    key_path = anchor_dir / KEY_FILE
    if not key_path.exists():
        if not create:
            return None
        _private_dir(anchor_dir)
        try:
            fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it a moment ago
            return signing_key(anchor_dir, create=False)
        key = Ed25519PrivateKey.generate()
        with os.fdopen(fd, "wb") as f:
            f.write(key.private_bytes_raw())
            f.flush()
            os.fsync(f.fileno())
        # The public half, readable by processes that check anchors but must not sign them (workers).
        (anchor_dir / PUBLIC_FILE).write_text(_public_hex(key) + "\n", encoding="utf-8")
        os.chmod(anchor_dir / PUBLIC_FILE, 0o644)
    raw = key_path.read_bytes()
    if len(raw) != 32:
        raise IntegrityError(f"record {KEY_FILE} (audit anchor key) is damaged")
    return Ed25519PrivateKey.from_private_bytes(raw)


def _public_hex(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


# --- the file ----------------------------------------------------------------------------------------

def _body(a: Anchor, public_hex: str) -> bytes:
    doc = {**asdict(a), "shreds": list(a.shreds), "restores": list(a.restores), "format": FORMAT, "key": public_hex}
    for optional in ("accounts", "roles", "signers", "states", "record"):  # absent when empty: anchors written before them still verify
        if not doc[optional]:
            doc.pop(optional)
    return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()


def read(path: Path, public: Ed25519PublicKey | None = None) -> Anchor | None:
    """The anchor at ``path`` (None if there is none); IntegrityError if it is damaged or not signed by the key."""
    if not path.exists():
        return None
    key = public or _key_beside(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        sig = base64.b64decode(doc.pop("sig"))
        a = Anchor(doc["vault"], int(doc["seq"]), str(doc["hash"]), str(doc["at"]), doc.get("escrow"),
                   tuple(doc.get("shreds", ())), tuple(doc.get("restores", ())), dict(doc.get("accounts", {})),
                   dict(doc.get("roles", {})), dict(doc.get("signers", {})), dict(doc.get("states", {})),
                   dict(doc.get("record", {})))
        key.verify(sig, _body(a, str(doc["key"])))
        if key.public_bytes(Encoding.Raw, PublicFormat.Raw).hex() != doc["key"]:
            raise InvalidSignature
    except (ValueError, KeyError, TypeError, InvalidSignature):
        raise IntegrityError(f"record {path.name} (audit anchor) is damaged or not signed by the anchor key") from None
    return a


def _key_beside(path: Path) -> Ed25519PublicKey:
    key = public_key(path.parent)
    if key is None:
        raise IntegrityError(f"record {path.name} (audit anchor) has no anchor key beside it")
    return key


def public_key(directory: Path) -> Ed25519PublicKey | None:
    """The anchor key's public half: ``anchor.pub`` (what a worker may read), else from ``anchor.key``; None
    when the directory has neither. IntegrityError if ``anchor.pub`` is damaged."""
    public = directory / PUBLIC_FILE
    if public.exists():
        try:
            return Ed25519PublicKey.from_public_bytes(bytes.fromhex(public.read_text(encoding="utf-8").strip()))
        except ValueError:
            raise IntegrityError(f"record {PUBLIC_FILE} (audit anchor public key) is damaged") from None
    key = signing_key(directory, create=False)
    return None if key is None else key.public_key()


class Unavailable(Exception):
    """This process cannot sign anchors (a worker: no anchor key, or no access to the directory)."""


def write(path: Path, a: Anchor, copy: str = "") -> None:
    """Atomically replace the anchor (temporary file, fsync, rename).

    The key is made only with the directory's first anchor (``init``): a process that finds anchors but no
    key it can read (a worker, by design) must not start a key of its own that would disown them.
    """
    key = signing_key(path.parent, create=not any(path.parent.glob("*.json")))
    if key is None:
        raise Unavailable(f"no anchor key in {path.parent}")
    public = _public_hex(key)
    body = _body(a, public)
    write_signed(path, body, key, 0o600)
    if copy:
        append_copy(Path(copy), a, key)


def write_signed(path: Path, body: bytes, key: Ed25519PrivateKey, mode: int) -> None:
    """``body`` (canonical JSON) with its signature, written atomically: temporary file, fsync, rename."""
    doc = {**json.loads(body), "sig": base64.b64encode(key.sign(body)).decode()}
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(json.dumps(doc, sort_keys=True, indent=1))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """One writer at a time across processes (web, workers, CLI) for this anchor."""
    _private_dir(path.parent)
    fd = os.open(path.with_suffix(".lock"), os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def all_for_vault(anchor_dir: Path, vault_id: str) -> list[Anchor]:
    """Every anchor of this vault in a directory (one per database that held it), signature-checked."""
    if not anchor_dir.is_dir():
        return []
    found = [read(p) for p in sorted(anchor_dir.glob(f"{vault_id}-*.json"))]
    return [a for a in found if a is not None and a.vault == vault_id]


# --- the off-host copy: one signed head line per anchor written ----------------------------------

def _head_body(vault_id: str, seq: int, hash_: str, at: str, epoch: int) -> bytes:
    return json.dumps({"vault": vault_id, "seq": seq, "hash": hash_, "at": at, "epoch": epoch},
                      sort_keys=True, separators=(",", ":")).encode()


def append_copy(copy: Path, a: Anchor, key: Ed25519PrivateKey) -> None:
    """Append the anchor's head, signed, to the append-only copy. A copy that cannot be written is logged
    (type only) and leaves the local anchor as it is: ``audit verify --anchor-copy`` shows the gap."""
    body = _head_body(a.vault, a.seq, a.hash, a.at, len(a.restores))
    line = json.dumps({**json.loads(body), "sig": base64.b64encode(key.sign(body)).decode()},
                      sort_keys=True, separators=(",", ":")) + "\n"
    try:
        fd = os.open(copy, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as f:
            f.write(line)
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        log.warning("audit anchor copy not appended: %s", type(exc).__name__)


def read_copy(copy: Path, vault_id: str, public: Ed25519PublicKey) -> list[tuple[int, str, int]]:
    """This vault's heads in the copy, oldest first: (seq, hash, epoch); IntegrityError for a line that is
    damaged or not signed by the anchor key (an attacker cannot add a head without it)."""
    try:
        lines = copy.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise IntegrityError(f"record {copy.name} (audit anchor copy) cannot be read: {exc.strerror}") from None
    heads = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
            body = _head_body(str(doc["vault"]), int(doc["seq"]), str(doc["hash"]), str(doc["at"]), int(doc["epoch"]))
            public.verify(base64.b64decode(doc["sig"]), body)
        except (ValueError, KeyError, TypeError, InvalidSignature):
            raise IntegrityError(f"record {copy.name} line {n} (audit anchor copy) is damaged or not signed by "
                                 "the anchor key") from None
        if doc["vault"] == vault_id:
            heads.append((int(doc["seq"]), str(doc["hash"]), int(doc["epoch"])))
    return heads


def check_copy(conn: Connection, copy: Path, vault_id: str, public: Ed25519PublicKey) -> audit.Verdict | None:
    """None if every head copied since the last restore is in the stored chain; else the failing verdict.
    (The chain's own links and MACs are checked by ``audit.verify_stored``.)"""
    heads = read_copy(copy, vault_id, public)
    if not heads:
        return audit.Verdict(False, 0, None, f"the anchor copy {copy.name} holds no head of this vault")
    epoch = heads[-1][2]  # a restore restarts the chain: heads copied before it describe the old one
    wanted = {seq: h for seq, h, e in heads if e == epoch and seq > 0}
    rows = conn.execute(select(audit_log.c.seq, audit_log.c.hash).where(audit_log.c.seq.in_(list(wanted))))
    stored = {int(r.seq): str(r.hash) for r in rows} if wanted else {}
    for seq in sorted(wanted):
        if stored.get(seq) != wanted[seq]:
            why = "is missing (entries were cut)" if seq not in stored else "differs (rewritten)"
            return audit.Verdict(False, 0, seq, f"record audit_log #{seq} {why} — the anchor copy {copy.name} "
                                                f"holds that head")
    return None


def public_key_of(vault: Vault) -> Ed25519PublicKey:
    return _key_beside(vault.anchor_path)


# --- moving forward, and checking ------------------------------------------------------------------

def _stored_head(conn: Connection, mac_key: bytes) -> audit.Head:
    row = conn.execute(select(audit_head).where(audit_head.c.id == 1)).first()
    if row is None:
        return audit.Head(0, audit.GENESIS)
    head = audit.Head(row.seq, row.hash)
    if not keys.mac_equal(audit.head_mac(mac_key, head), row.mac):
        raise IntegrityError("record audit_head failed authentication (MAC mismatch); it was altered")
    return head


def _entries_from(conn: Connection, seq: int) -> list[audit.Entry]:
    rows = conn.execute(select(audit_log).where(audit_log.c.seq >= seq).order_by(audit_log.c.seq)).all()
    return [audit.Entry(**r._mapping) for r in rows]


def extension(conn: Connection, mac_key: bytes, anchored: audit.Head) -> tuple[audit.Head, list[audit.Entry]]:
    """The stored chain from the anchored head on: (new head, new entries); IntegrityError unless it extends it."""
    head = _stored_head(conn, mac_key)
    if head.seq < anchored.seq:
        raise IntegrityError(f"record audit_log ends at #{head.seq}, before the anchored head #{anchored.seq} "
                             "(entries were cut)")
    entries = _entries_from(conn, max(anchored.seq, 1))
    prev = anchored.hash
    if anchored.seq:
        if not entries or entries[0].seq != anchored.seq or entries[0].hash != anchored.hash:
            raise IntegrityError(f"record audit_log #{anchored.seq} differs from the anchored head (rewritten)")
        entries = entries[1:]
    for expected, e in enumerate(entries, start=anchored.seq + 1):
        why = audit.entry_problem(e, expected, prev, mac_key)
        if why:
            raise IntegrityError(f"record audit_log #{expected}: {why}")
        prev = e.hash
    if audit.Head(anchored.seq + len(entries), prev) != head:
        raise IntegrityError("record audit_head does not match the last entry of the chain")
    return head, entries


def _shreds(entries: list[audit.Entry]) -> tuple[ShredMark, ...]:
    return tuple(ShredMark({"client": e.target, "seq": e.seq, "at": e.at}) for e in entries if e.action in SHRED_ACTIONS)


def advance(vault: Vault, escrow_fingerprint: str | None = None) -> Anchor | None:
    """Move this vault's anchor to the stored head, if the chain extends what was anchored.

    Called after every commit that appended to the chain. A chain that does not extend the anchor is
    not anchored (logged without PHI); ``audit verify`` reports it. A process that cannot sign (a worker)
    leaves it: the next commit of one that can anchors its entries too, checked the same way. Returns the
    anchor now on disk.
    """
    try:
        return _advance(vault, escrow_fingerprint)
    except (Unavailable, OSError) as exc:
        log.warning("audit anchor not advanced by this process: %s", type(exc).__name__)
        return None


def _advance(vault: Vault, escrow_fingerprint: str | None) -> Anchor | None:
    path = vault.anchor_path
    with locked(path):
        current = read(path)
        anchored = current.head if current else audit.Head(0, audit.GENESIS)
        try:
            with vault.engine.connect() as conn:
                head, entries = extension(conn, vault.integrity_keys[0], anchored)
                pin = current.escrow if current and current.escrow else escrow_fingerprint or _escrow_pin(conn)
                pins = {**_account_pins(conn), **(current.accounts if current else {})}  # a pin never moves
                signers = {**_signer_pins(conn), **(current.signers if current else {})}
        except IntegrityError as exc:
            log.warning("audit anchor not advanced: %s", exc)
            return current
        if current is not None and head.seq == current.seq and current.escrow == pin and current.accounts == pins \
                and current.signers == signers:
            return current
        base = current or Anchor(vault.vault_id, 0, audit.GENESIS, now_iso())
        new = replace(base, seq=head.seq, hash=head.hash, at=now_iso(), escrow=pin,
                      shreds=base.shreds + _shreds(entries), accounts=pins, signers=signers)
        write(path, new, vault.settings.audit_anchor_copy)
        return new


def _escrow_pin(conn: Connection) -> str | None:
    from .models import key_escrow

    row = conn.execute(select(key_escrow.c.public_key).where(key_escrow.c.id == 1)).first()
    return fingerprint(bytes(row.public_key)) if row else None


def _account_pins(conn: Connection) -> dict[str, str]:
    from .share_keys import public_pins  # local: share_keys checks against this module's pins

    return public_pins(conn)


def _signer_pins(conn: Connection) -> dict[str, str]:
    from .signing import public_pins  # local: signing checks against this module's pins

    return public_pins(conn)


def fingerprint(public_key: bytes) -> str:
    """How the escrow key is pinned and shown: SHA-256 of the raw public key, hex."""
    return hashlib.sha256(public_key).hexdigest()


def pin_roles(vault: Vault, pins: dict[str, str]) -> None:
    """Record roles the app itself just set (or first saw): ``accounts`` rows are checked against them, so a
    role rewritten in the database with the row-MAC key every account holds is refused, not obeyed."""
    path = vault.anchor_path
    try:
        with locked(path):
            current = read(path) or Anchor(vault.vault_id, 0, audit.GENESIS, now_iso())
            if all(current.roles.get(k) == v for k, v in pins.items()):
                return
            write(path, replace(current, roles={**current.roles, **pins}), vault.settings.audit_anchor_copy)
    except (Unavailable, OSError) as exc:  # a worker pins nothing; the web pins as first seen
        log.warning("roles not pinned by this process: %s", type(exc).__name__)


def state_pin(a: Anchor | None, account_id: str) -> tuple[int, str] | None:
    """(version, sha256 hex) of the account's latest sealed signing state this anchor saw, if any."""
    found = a.states.get(account_id) if a is not None else None
    if not found:
        return None
    version, _, digest = found.partition(":")
    return int(version), digest


def pin_states(vault: Vault, pins: dict[str, tuple[int, str]]) -> None:
    """Record the sealed signing states just committed (vault/signing.py). A pin only moves forward: a lower
    version never replaces a higher one, so an older copy put back in the database is never pinned."""
    path = vault.anchor_path
    try:
        with locked(path):
            current = read(path) or Anchor(vault.vault_id, 0, audit.GENESIS, now_iso())
            newer = {k: f"{v}:{d}" for k, (v, d) in pins.items()
                     if (state_pin(current, k) or (-1, ""))[0] < v}
            if newer:
                write(path, replace(current, states={**current.states, **newer}), vault.settings.audit_anchor_copy)
    except (Unavailable, OSError) as exc:  # a worker pins nothing (it holds no account's signing state)
        log.warning("signing states not pinned by this process: %s", type(exc).__name__)


def take_record(vault: Vault, record: dict[str, str]) -> dict[str, str] | None:
    """The signing migration's record: the one already in the anchor, else ``record``, written now (before
    anything is signed against it). None if this process cannot write the anchor."""
    path = vault.anchor_path
    try:
        with locked(path):
            current = read(path) or Anchor(vault.vault_id, 0, audit.GENESIS, now_iso())
            if current.record:
                return current.record
            write(path, replace(current, record=record), vault.settings.audit_anchor_copy)
            return record
    except (Unavailable, OSError) as exc:
        log.warning("signing migration record not taken by this process: %s", type(exc).__name__)
        return None


def check(conn: Connection, mac_key: bytes, a: Anchor | None) -> audit.Verdict | None:
    """None if the stored chain extends the anchor; else the failing verdict."""
    if a is None:
        return None
    try:
        extension(conn, mac_key, a.head)
    except IntegrityError as exc:
        return audit.Verdict(False, 0, a.seq, f"{exc} — the anchored head is #{a.seq}")
    return None


def restart(vault: Vault, shreds: tuple[ShredMark, ...], restore: RestoreMark) -> Anchor:
    """After a restore (an operator holding the anchor key): the anchor restarts at the restored chain's head,
    keeping every shred it knew (a later restore of an even older backup must shred them again). The signing
    state pins and the signing migration's record restart too: the restored rows are older by design; they
    are pinned (recorded) as first seen."""
    with vault.engine.connect() as conn:
        head, pin = _stored_head(conn, vault.integrity_keys[0]), _escrow_pin(conn)
    return _rebase(vault.anchor_path, vault.vault_id, head, shreds=shreds, escrow=pin, restore=restore,
                   copy=vault.settings.audit_anchor_copy)


def _rebase(path: Path, vault_id: str, head: audit.Head, *, shreds: tuple[ShredMark, ...],
            escrow: str | None, restore: RestoreMark, copy: str = "") -> Anchor:
    with locked(path):
        current = read(path)
        kept = {(s["client"], s["seq"]) for s in shreds}
        extra = tuple(s for s in (current.shreds if current else ()) if (s["client"], s["seq"]) not in kept)
        a = Anchor(vault_id, head.seq, head.hash, now_iso(), escrow, shreds + extra,
                   (current.restores if current else ()) + (restore,), current.accounts if current else {},
                   current.roles if current else {}, current.signers if current else {})
        write(path, a, copy)
        return a
