"""Per-account Ed25519 signing of role assignments and share grants (issue 17, item 2).

The row-MAC key travels with every account and the anchor directory may be writable by an insider, so
neither can say who set a role or granted a share. Each account with its own keys (and the vault owner)
has an Ed25519 key pair: the public half in ``signing_keys`` (pinned by the anchor, like the X25519 half),
the private half sealed under the account KEK (the owner's under the vault KEK) together with

* the **root**: the owner's signing public key as the account first saw it (at creation, else at its
  first sign-in after this release), and
* **strict**: set once the account's own role verified; from then on it signs no row left unsigned (the
  migration is over for it). An account with a root accepts no unsigned role row at all;
  **strict shares**: set once every share granted to it verified, from then on no unsigned share;
* a **version**, raised by every re-seal. The anchor (outside the database, signed with a key no account
  holds) pins each account's latest (version, SHA-256 of the sealed bytes); an older copy put back in the
  database (it opens: same KEK) is refused (:func:`held`), so none of the above can be rolled back.

A role assignment is signed by the admin or owner who set it and binds the subject's own signing key, so
an admin's signature counts only through a chain of signed assignments up to the owner's self-signed one;
a share grant is signed by the clinician who owns the client. Every check runs against the acting
account's root, which no one without its password can change: rewriting rows and re-pinning the anchor
gives a chain that does not end at it.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from functools import lru_cache
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Connection, insert, select, update
from sqlalchemy.engine import Row

from ..errors import IntegrityError
from . import anchor, crypto
from .ids import now_iso
from .models import account_keys, accounts, client_keys, clients, sessions, shares, signing_keys

if TYPE_CHECKING:
    from .vault import Vault

ROLE_DOMAIN = "sessionlens/role-assignment/v1"
SHARE_DOMAIN = "sessionlens/share-grant/v1"
SHARE_SCOPE = "session:read"  # what a share lets the supervisor do; no expiry: a share lasts until unshared
MAX_CHAIN = 8
STRICT_ROLES, STRICT_SHARES = 1, 2
_VERSION = struct.Struct(">Q")  # the sealed state's version, after the flags (states sealed before it: version 0)


@dataclass(frozen=True, slots=True)
class Held:
    private: Ed25519PrivateKey
    root: bytes | None  # the owner's signing public key this account trusts
    flags: int  # STRICT_ROLES | STRICT_SHARES
    version: int = 0  # raised by every re-seal; the anchor pins the latest

    @property
    def strict(self) -> bool:
        return bool(self.flags & STRICT_ROLES)

    @property
    def strict_shares(self) -> bool:
        return bool(self.flags & STRICT_SHARES)


def raw_public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes_raw()


def canonical(domain: str, *fields: str) -> bytes:
    """Domain, then each field length-prefixed: no two field lists give the same bytes."""
    out = bytearray()
    for part in (domain, *fields):
        data = part.encode()
        out += struct.pack(">I", len(data)) + data
    return bytes(out)


def role_bytes(vault_id: str, row: Row[*tuple[Any, ...]] | Mapping[str, Any], signer_id: str,
               subject_key: str) -> bytes:
    """What a role signature covers: everything authorization reads about the account, and its signing key."""
    m = row._mapping if isinstance(row, Row) else row
    return canonical(ROLE_DOMAIN, vault_id, str(m["id"]), str(m["username"]), str(m["role"]),
                     "owner" if m["is_owner"] else "-", "disabled" if m["disabled"] else "enabled",
                     subject_key, signer_id)


def share_bytes(vault_id: str, share: Row[*tuple[Any, ...]] | Mapping[str, Any], client_id: str) -> bytes:
    m = share._mapping if isinstance(share, Row) else share
    return canonical(SHARE_DOMAIN, vault_id, str(m["id"]), str(m["session_id"]), client_id, str(m["grantee_id"]),
                     str(m["granted_by"]), SHARE_SCOPE, str(m["created_at"]), "no-expiry")


# --- the key pair --------------------------------------------------------------------------------

def _sealing_key(vault: Vault, conn: Connection, account_id: str,
                 facts: tuple[bool, bool] | None = None) -> tuple[bytes, str] | None:
    """(key, key id) that seals this account's private half: its KEK, or the vault KEK for the owner.
    ``facts``: (has its own key hierarchy, is the owner) when the caller read them already."""
    kek = vault.account_kek(account_id)
    if kek is not None:
        return kek, f"akek:{account_id}"
    if facts is None:
        facts = (conn.execute(select(account_keys.c.account_id)
                              .where(account_keys.c.account_id == account_id)).first() is not None,
                 bool(conn.execute(select(accounts.c.is_owner).where(accounts.c.id == account_id)).scalar()))
    own, is_owner = facts
    if not own and is_owner and vault.has_vault_kek:
        return vault.kek, "vault"
    return None


def _seal(key: bytes, key_id: str, account_id: str, private: Ed25519PrivateKey, root: bytes | None,
          flags: int, version: int) -> bytes:
    body = private.private_bytes_raw() + (root or b"") + bytes([flags]) + _VERSION.pack(version)
    return crypto.seal(key, body, key_id=key_id, key_version=1, record_id=f"skey:{account_id}")


def _unseal(key: bytes, key_id: str, account_id: str, sealed: bytes) -> Held:
    body = crypto.open_sealed(key, sealed, key_id=key_id, key_version=1, record_id=f"skey:{account_id}")
    version = 0
    if len(body) in (41, 73):  # key, [root], flags, version
        version, body = _VERSION.unpack(body[-8:])[0], body[:-8]
    root = body[32:64] if len(body) == 65 else None
    return Held(Ed25519PrivateKey.from_private_bytes(body[:32]), root, body[-1], version)


def state_digest(sealed: bytes) -> str:
    return hashlib.sha256(sealed).hexdigest()


def _pin_after_commit(conn: Connection, account_id: str, version: int, sealed: bytes) -> None:
    """The anchor pins this state once the transaction commits (vault.Vault.transaction; only forward)."""
    pins: dict[str, tuple[int, str]] = conn.info.setdefault(anchor.STATE_PINS, {})
    if pins.get(account_id, (-1, ""))[0] < version:
        pins[account_id] = (version, state_digest(sealed))


def new_key_values(kek: bytes, account_id: str, root: bytes | None) -> dict[str, Any]:
    """A ``signing_keys`` row for an account whose KEK is ``kek`` (made with its key hierarchy). Version 1:
    the first state there is; it is pinned when first seen."""
    private = Ed25519PrivateKey.generate()
    return {"account_id": account_id, "public_key": raw_public(private), "created_at": now_iso(),
            "private_sealed": _seal(kek, f"akek:{account_id}", account_id, private, root, 0, 1)}


def owner_root(vault: Vault, conn: Connection) -> bytes | None:
    """The owner's signing public key as the database and anchor agree on it (None if it has none yet)."""
    owner = conn.execute(select(accounts.c.id).where(accounts.c.is_owner == 1)).scalar()
    return None if owner is None else _public(vault, _Rows(conn), owner)


def held(vault: Vault, conn: Connection, account_id: str) -> Held | None:
    """The account's private key, root and mode, if this process holds the key that seals them.
    IntegrityError if the sealed state is older than the one the anchor pins (a copy put back)."""
    loaded = _load(vault, conn, account_id)
    return None if loaded is None else loaded[0]


def _load(vault: Vault, conn: Connection, account_id: str) -> tuple[Held, bytes, tuple[bytes, str]] | None:
    row = conn.execute(select(signing_keys.c.private_sealed).where(signing_keys.c.account_id == account_id)).first()
    sealing = None if row is None else _sealing_key(vault, conn, account_id)
    if sealing is None or row is None:
        return None
    sealed = bytes(row.private_sealed)
    return _open(vault, conn, account_id, sealed, sealing), sealed, sealing


def _open(vault: Vault, conn: Connection, account_id: str, sealed: bytes, sealing: tuple[bytes, str]) -> Held:
    try:
        h = _unseal(*sealing, account_id, sealed)
    except IntegrityError:
        raise IntegrityError(f"record {account_id} (signing key) failed authentication; it was altered") from None
    _check_fresh(vault, conn, account_id, h.version, sealed)
    return h


def _check_fresh(vault: Vault, conn: Connection, account_id: str, version: int, sealed: bytes) -> None:
    """The state is the one the anchor pins, or newer (the anchor is written after the commit and may lag:
    then it is pinned now). With no anchor readable here nothing is checked (see docs/security.md)."""
    pin = anchor.state_pin(vault.read_anchor(), account_id)
    if pin is not None and pin[1] == state_digest(sealed):
        return
    if pin is not None and version <= pin[0]:
        raise IntegrityError(f"record {account_id} (signing state) is version {version}, not version {pin[0]} "
                             "pinned outside the database; an older copy was put back")
    _pin_after_commit(conn, account_id, version, sealed)


def ensure_key(vault: Vault, conn: Connection, account_id: str) -> bool:
    """Give a signed-in account its pair if it has none (True: made; the caller audits it)."""
    sealing = _sealing_key(vault, conn, account_id)
    if sealing is None or conn.execute(select(signing_keys.c.account_id)
                                       .where(signing_keys.c.account_id == account_id)).first():
        return False
    private = Ed25519PrivateKey.generate()
    is_owner = bool(conn.execute(select(accounts.c.is_owner).where(accounts.c.id == account_id)).scalar())
    root = raw_public(private) if is_owner else owner_root(vault, conn)
    sealed = _seal(*sealing, account_id, private, root, 0, 1)
    conn.execute(insert(signing_keys).values(account_id=account_id, public_key=raw_public(private),
                                             created_at=now_iso(), private_sealed=sealed))
    _pin_after_commit(conn, account_id, 1, sealed)
    return True


def update_state(vault: Vault, conn: Connection, account_id: str, *, root: bytes | None, flags: int) -> None:
    loaded = _load(vault, conn, account_id)
    if loaded is not None:
        h, sealed, sealing = loaded
        _replace_state(conn, account_id, sealed, _seal(*sealing, account_id, h.private, root, flags, h.version + 1),
                       h.version + 1)


def reseal(conn: Connection, account_id: str, old: bytes, new: bytes) -> None:
    """The account's KEK changed: its signing key, root and mode follow (one version on; a copy put back
    before this, re-sealed here, stays below the anchor's pin and is refused at its next use)."""
    row = conn.execute(select(signing_keys.c.private_sealed).where(signing_keys.c.account_id == account_id)).first()
    if row is None:
        return
    sealed = bytes(row.private_sealed)
    h = _unseal(old, f"akek:{account_id}", account_id, sealed)
    _replace_state(conn, account_id, sealed,
                   _seal(new, f"akek:{account_id}", account_id, h.private, h.root, h.flags, h.version + 1), h.version + 1)


def _replace_state(conn: Connection, account_id: str, old: bytes, new: bytes, version: int) -> None:
    """Compare-and-set: each version is sealed once, so two states never share a version (a sign-in racing
    another of the same account leaves the state the other wrote; the flags are derived again next time)."""
    done = conn.execute(update(signing_keys).where(signing_keys.c.account_id == account_id,
                                                   signing_keys.c.private_sealed == old)
                        .values(private_sealed=new))
    if done.rowcount == 1:
        _pin_after_commit(conn, account_id, version, new)


def replace_public_key(conn: Connection, account_id: str, public: bytes) -> None:
    """Overwrite a stored public half (what an insider with database write can do; tests use it)."""
    conn.execute(update(signing_keys).where(signing_keys.c.account_id == account_id).values(public_key=public))


def public_pins(conn: Connection) -> dict[str, str]:
    """Fingerprints of every signing public key in the database (what the anchor pins on first sight)."""
    rows = conn.execute(select(signing_keys.c.account_id, signing_keys.c.public_key)).all()
    return {r.account_id: anchor.fingerprint(bytes(r.public_key)) for r in rows}


def _public(vault: Vault, rows: _Rows, account_id: str) -> bytes | None:
    """The account's signing public key; IntegrityError if the anchor pins another one."""
    public = rows.public(account_id)
    if public is None:
        return None
    pinned = vault.read_anchor()
    fp = pinned.signers.get(account_id) if pinned else None
    if fp is not None and fp != anchor.fingerprint(public):
        raise IntegrityError(f"record {account_id} (signing key) does not match the key pinned outside the "
                             "database; it was replaced")
    return public


def key_fingerprint(conn: Connection, account_id: str) -> str:
    public = conn.execute(select(signing_keys.c.public_key).where(signing_keys.c.account_id == account_id)).scalar()
    return "" if public is None else anchor.fingerprint(bytes(public))


# --- signing ------------------------------------------------------------------------------------

def sign_role(vault: Vault, conn: Connection, signer_id: str, account_id: str) -> bool:
    """Sign the account's current role row as ``signer_id`` (False: the signer holds no signing key here)."""
    h = held(vault, conn, signer_id)
    if h is None:
        return False
    row = conn.execute(select(accounts).where(accounts.c.id == account_id)).one()
    subject_key = key_fingerprint(conn, account_id)
    sig = h.private.sign(role_bytes(vault.vault_id, row, signer_id, subject_key))
    conn.execute(update(accounts).where(accounts.c.id == account_id)
                 .values(role_sig=sig, role_signer=signer_id, role_key=subject_key))
    return True


def clear_role_signature(conn: Connection, account_id: str) -> None:
    conn.execute(update(accounts).where(accounts.c.id == account_id)
                 .values(role_sig=None, role_signer=None, role_key=None))


def sign_share(vault: Vault, conn: Connection, share: Row[*tuple[Any, ...]] | dict[str, Any]) -> bool:
    """Sign a share as the clinician who granted it (False: their signing key is not held here)."""
    m = share._mapping if isinstance(share, Row) else share
    h = held(vault, conn, str(m["granted_by"]))
    client_id = conn.execute(select(sessions.c.client_id).where(sessions.c.id == m["session_id"])).scalar()
    if h is None or client_id is None:
        return False
    sig = h.private.sign(share_bytes(vault.vault_id, share, str(client_id)))
    conn.execute(update(shares).where(shares.c.id == m["id"]).values(sig=sig))
    return True


# --- verifying ------------------------------------------------------------------------------------

def _refuse(record: str, why: str) -> IntegrityError:
    return IntegrityError(f"record {record} {why} (signature check); it was altered or never signed")


def _verify(public: bytes, sig: bytes, body: bytes, record: str) -> None:
    if not _signature_holds(public, sig, body):
        raise _refuse(record, "is badly signed")


@lru_cache(maxsize=4096)
def _signature_holds(public: bytes, sig: bytes, body: bytes) -> bool:
    """Ed25519 verification, remembered: a pure function of its three inputs, asked on every unit of work."""
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(sig, body)
    except (InvalidSignature, ValueError):
        return False
    return True


class _Rows:
    """Account rows and signing public keys as the checks read them: one query each."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def account(self, account_id: str) -> Row[*tuple[Any, ...]] | None:
        return self.conn.execute(select(accounts).where(accounts.c.id == account_id)).first()

    def public(self, account_id: str) -> bytes | None:
        public = self.conn.execute(select(signing_keys.c.public_key)
                                   .where(signing_keys.c.account_id == account_id)).scalar()
        return None if public is None else bytes(public)


class _Fetched(_Rows):
    """The rows a role check reads, in one query: the given accounts and every account up their chains of
    role signers (recursive; UNION stops at the owner's self-signed row or any loop), each with its signing
    key (public half, sealed private half) and whether it has its own key hierarchy (``own``)."""

    def __init__(self, conn: Connection, *seeds: str) -> None:
        super().__init__(conn)
        chain = select(accounts.c.id).where(accounts.c.id.in_(seeds)).cte("role_chain", recursive=True)
        up = chain.alias("up")
        chain = chain.union(select(accounts.c.role_signer).join(up, accounts.c.id == up.c.id)
                            .where(accounts.c.role_signer.is_not(None)))
        q = (select(accounts, signing_keys.c.public_key, signing_keys.c.private_sealed,
                    account_keys.c.account_id.label("own"))
             .select_from(accounts.join(chain, chain.c.id == accounts.c.id)
                          .outerjoin(signing_keys, signing_keys.c.account_id == accounts.c.id)
                          .outerjoin(account_keys, account_keys.c.account_id == accounts.c.id)))
        self.rows = {r.id: r for r in conn.execute(q)}

    def account(self, account_id: str) -> Row[*tuple[Any, ...]] | None:
        return self.rows.get(account_id)

    def public(self, account_id: str) -> bytes | None:
        row = self.rows.get(account_id)
        return None if row is None or row.public_key is None else bytes(row.public_key)


def _account(rows: _Rows, account_id: str) -> Row[*tuple[Any, ...]]:
    row = rows.account(account_id)
    if row is None:
        raise _refuse(account_id, "was signed by an account that does not exist")
    return row


def check_chain(vault: Vault, conn: Connection, row: Row[*tuple[Any, ...]], root: bytes, depth: int = 0,
                rows: _Rows | None = None) -> None:
    """The role row is signed, and its signer's authority runs through signed rows up to ``root``."""
    rows = rows or _Rows(conn)
    record = f"{row.id} (account role)"
    if row.role_sig is None or row.role_signer is None or depth > MAX_CHAIN:
        raise _refuse(record, "has no signature")
    public = _public(vault, rows, row.role_signer)
    if public is None:
        raise _refuse(record, "was signed by an account without a signing key")
    _verify(public, bytes(row.role_sig), role_bytes(vault.vault_id, row, row.role_signer, row.role_key or ""), record)
    if row.role_signer == row.id:  # only the owner signs itself: the root
        if not (row.is_owner and public == root):
            raise _refuse(record, "is signed by itself but is not the owner this account trusts")
        return
    signer = _account(rows, row.role_signer)
    if not (signer.is_owner or signer.role == "admin") or signer.disabled:
        raise _refuse(record, "was signed by an account without the right to set roles")
    if signer.role_key != anchor.fingerprint(public):
        raise _refuse(record, "was signed with a key its signer's own signed role does not name")
    check_chain(vault, conn, signer, root, depth + 1, rows)


def check_role(vault: Vault, conn: Connection, account_id: str, verifier_id: str) -> None:
    """Check ``account_id``'s role as ``verifier_id`` (who must be signed in here) trusts it.

    No root (an account without its own keys, or one that got its key before the owner had one): nothing
    more is checked here (the anchor pins are). With a root every row must be signed: the owner signed every
    row there was when its own key was made (vault/signing_sign_in.py), and the app signs each change since.
    Deriving this from the root, not from a flag, leaves an insider no older, laxer copy of the sealed state
    to roll back to (unless the account got its key before the owner had one; the anchor's state pin
    refuses that copy). One query (``_Fetched``): this runs at every unit of work.
    """
    rows = _Fetched(conn, account_id, verifier_id)
    me, h = rows.account(verifier_id), None
    sealing = None if me is None or me.private_sealed is None else \
        _sealing_key(vault, conn, verifier_id, (me.own is not None, bool(me.is_owner)))
    if me is not None and sealing is not None:
        h = _open(vault, conn, verifier_id, bytes(me.private_sealed), sealing)
    row = _account(rows, account_id)
    if h is None and (vault.has_vault_kek or vault.held_accounts()) and rows.public(verifier_id) is not None:
        # A process where accounts sign in, but not this one (signed out, or refused): nothing it does counts.
        # A worker on a job grant holds no account's keys: the job was queued by a checked sign-in.
        raise _refuse(f"{verifier_id} (account role)", "cannot be checked: its keys are not unlocked here")
    if h is None or h.root is None:
        return
    check_chain(vault, conn, row, h.root, rows=rows)


def check_share(vault: Vault, conn: Connection, share: Row[*tuple[Any, ...]], verifier_id: str) -> None:
    """The share as its grantee (signed in here) trusts it: unsigned only before the grantee is strict."""
    h = held(vault, conn, verifier_id)
    if h is None or h.root is None or (share.sig is None and not h.strict_shares):
        return
    verify_share(vault, conn, share, h.root, lax=not h.strict_shares)


def verify_share(vault: Vault, conn: Connection, share: Row[*tuple[Any, ...]], root: bytes, *,
                 lax: bool = False) -> None:
    """Signed by the clinician who owns the session's client, whose role chains to ``root``. ``lax``: a
    clinician whose key the owner has not certified yet (signed before the owner's next sign-in) passes."""
    record = f"{share.id} (share)"
    if share.sig is None:
        raise _refuse(record, "has no signature")
    client = conn.execute(select(clients.c.id, clients.c.owner_id, clients.c.key_id)
                          .join(sessions, sessions.c.client_id == clients.c.id)
                          .where(sessions.c.id == share.session_id)).first()
    public = _public(vault, _Rows(conn), share.granted_by)
    if client is None or public is None:
        raise _refuse(record, "names a session or signer that does not exist")
    _verify(public, bytes(share.sig), share_bytes(vault.vault_id, share, str(client.id)), record)
    wrapped_by = conn.execute(select(client_keys.c.wrapped_by).where(client_keys.c.key_id == client.key_id)).scalar()
    signer = _account(_Rows(conn), share.granted_by)
    if client.owner_id != share.granted_by or wrapped_by not in (None, share.granted_by) \
            or signer.role != "clinician" or signer.disabled:
        raise _refuse(record, "was signed by an account that does not own the client")
    if lax and (signer.role_sig is None or not signer.role_key):
        return  # the pins decide until the owner signs this clinician's role with its key
    if signer.role_key != anchor.fingerprint(public):
        raise _refuse(record, "was signed with a key its signer's own signed role does not name")
    check_chain(vault, conn, signer, root)
