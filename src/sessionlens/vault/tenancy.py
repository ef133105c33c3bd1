"""Per-account key hierarchies for a practice server (many clinicians, one database).

::

    account password ──Argon2id(per-account salt)──► password key ──wraps──► account KEK (random)
    vault recovery key ──► escrow private key (X25519) ◄── account KEK sealed to the escrow public key
                                                             │
                      account KEK ├── wraps the DEK of every client this account creates
                                  └── seals the vault's integrity keys (audit MAC, row MAC)

* A clinician's password alone opens their own clients: the vault passphrase (held by the owner, on a
  practice server usually the admin) does **not** unwrap another account's KEK, so the admin sees no PHI
  even with every key the running server holds for them.
* The integrity keys travel with every account so a clinician can sign in (and every action be audited)
  without the owner being present; they authenticate rows and the audit trail, they decrypt nothing.
* Break-glass recovery (a forgotten password, a clinician who left and whose records the practice must
  keep): the escrow private key is wrapped only by the vault's recovery key, which the practice keeps
  offline. :func:`recover_account_keys` is the one path that uses it, and it is audited.
* Changing one's own password makes a fresh account KEK and rewraps that account's DEKs, so whoever set the
  initial password (the admin) learns nothing that still opens the data afterwards.

On a laptop vault nothing changes: the owner's clients stay under the vault KEK (``client_keys.wrapped_by``
is NULL) and accounts created without keys keep working as before.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.engine import Row

from ..errors import AuthError, IntegrityError, NotFoundError
from . import anchor, crypto, keys, share_keys, signing
from .ids import now_iso
from .models import account_keys, accounts, client_keys, key_escrow, signing_keys, vault_meta

if TYPE_CHECKING:
    from ..config import Settings
    from .vault import Vault


def _raw_public(key: X25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


# --- the escrow key (recovery path) ---------------------------------------------------------------

def create_escrow(vault: Vault, conn: Connection, recovery_key: str) -> None:
    private = X25519PrivateKey.generate()
    public = _raw_public(private.public_key())
    raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    sealed = crypto.seal(keys.recovery_key_bytes(recovery_key), raw, key_id="recovery", key_version=1,
                         record_id=f"escrow:{vault.vault_id}")
    conn.execute(insert(key_escrow).values(id=1, public_key=public, private_by_recovery=sealed,
                                           mac=vault.row_mac("key_escrow", "1", {"public_key": public.hex()})))


def _escrow_row(vault: Vault, conn: Connection) -> Row[*tuple[Any, ...]] | None:
    """The escrow row, checked against its row MAC and against the fingerprint pinned outside the database.

    Every account holds the row MAC key, so the MAC alone does not stop an insider with database write
    from putting their own public key here (every KEK sealed afterwards would open for them); the pin
    in the audit anchor (made at ``init``, in a place database users cannot write) does.
    """
    row = conn.execute(select(key_escrow).where(key_escrow.c.id == 1)).first()
    if row is None:
        return None  # a vault created before the practice-server release: no break-glass path
    vault.check_row_mac("key_escrow", "1", {"public_key": bytes(row.public_key).hex()}, row.mac)
    pinned = vault.read_anchor()
    if pinned is not None and pinned.escrow is not None and pinned.escrow != anchor.fingerprint(bytes(row.public_key)):
        raise IntegrityError("record key_escrow does not match the escrow key pinned outside the database "
                             f"(pinned {pinned.escrow[:16]}…); it was replaced, and nothing is sealed to it")
    return row


def _escrow_public(vault: Vault, conn: Connection) -> bytes | None:
    row = _escrow_row(vault, conn)
    return None if row is None else bytes(row.public_key)


def escrow_fingerprint(vault: Vault, conn: Connection) -> str | None:
    """What ``init`` shows and the anchor pins: SHA-256 of the escrow public key."""
    public = _escrow_public(vault, conn)
    return None if public is None else anchor.fingerprint(public)


def _seal_to(public: bytes, data: bytes, record_id: str) -> bytes:
    eph = X25519PrivateKey.generate()
    shared = eph.exchange(X25519PublicKey.from_public_bytes(public))
    eph_pub = _raw_public(eph.public_key())
    key = keys.subkey(shared + eph_pub + public, "sessionlens-escrow-v1")
    return eph_pub + crypto.seal(key, data, key_id="escrow", key_version=1, record_id=record_id)


def _open_from(private: X25519PrivateKey, blob: bytes, record_id: str) -> bytes:
    eph_pub, envelope = blob[:32], blob[32:]
    shared = private.exchange(X25519PublicKey.from_public_bytes(eph_pub))
    key = keys.subkey(shared + eph_pub + _raw_public(private.public_key()), "sessionlens-escrow-v1")
    return crypto.open_sealed(key, envelope, key_id="escrow", key_version=1, record_id=record_id)


# --- account key hierarchies -----------------------------------------------------------------------

def _params(settings: Settings) -> keys.KdfParams:
    return keys.KdfParams(settings.kdf_memory_mib * 1024, settings.kdf_time_cost, settings.kdf_parallelism).check()


def _integrity(vault: Vault, account_id: str, kek: bytes) -> bytes:
    audit_key, row_key = vault.integrity_keys
    return crypto.seal(kek, audit_key + row_key, key_id=f"akek:{account_id}", key_version=1,
                       record_id=f"integrity:{vault.vault_id}:{account_id}")


def _wrapped_values(vault: Vault, conn: Connection, account_id: str, kek: bytes, password: str) -> dict[str, Any]:
    return _wrapped(vault, conn, account_id, kek, password)[0]


def _wrapped(vault: Vault, conn: Connection, account_id: str, kek: bytes, password: str) -> tuple[dict[str, Any], bytes]:
    """The account_keys columns for ``kek`` under a new password, and that password's key."""
    params, salt = _params(vault.settings), keys.new_salt()
    pkey = keys.derive_passphrase_key(password, salt, params)
    public = _escrow_public(vault, conn)
    return {"kdf_memory_kib": params.memory_kib, "kdf_time_cost": params.time_cost,
            "kdf_parallelism": params.parallelism, "kdf_salt": salt,
            "kek_by_password": crypto.seal(pkey, kek, key_id="password", key_version=1, record_id=f"akek:{account_id}"),
            "kek_by_escrow": _seal_to(public, kek, f"akek:{account_id}") if public else None,
            "integrity": _integrity(vault, account_id, kek)}, pkey


def has_keys(conn: Connection, account_id: str) -> bool:
    return conn.execute(select(account_keys.c.account_id).where(account_keys.c.account_id == account_id)).first() \
        is not None


def create_account_keys(vault: Vault, conn: Connection, account_id: str, password: str) -> None:
    """A fresh key hierarchy for a new account; the caller's transaction commits it with the account row."""
    kek = crypto.new_key()
    conn.execute(insert(account_keys).values(account_id=account_id, created_at=now_iso(),
                                             **_wrapped_values(vault, conn, account_id, kek, password),
                                             **share_keys.new_pair(kek, account_id)))
    conn.execute(insert(signing_keys).values(**signing.new_key_values(kek, account_id, signing.owner_root(vault, conn))))


def _unwrap(row: Row[*tuple[Any, ...]], account_id: str, password: str) -> tuple[bytes, bytes]:
    """(account KEK, password key): the password key stays in memory so a shred can rotate the KEK."""
    params = keys.KdfParams(row.kdf_memory_kib, row.kdf_time_cost, row.kdf_parallelism)
    pkey = keys.derive_passphrase_key(password, row.kdf_salt, params)
    try:
        return crypto.open_sealed(pkey, row.kek_by_password, key_id="password", key_version=1,
                                  record_id=f"akek:{account_id}"), pkey
    except IntegrityError:
        raise AuthError("wrong username or password") from None


def unlock_account_keys(vault: Vault, conn: Connection, account_id: str, password: str) -> bool:
    """Hold the account's KEK in ``vault`` if it has one (False: an account without its own keys)."""
    row = conn.execute(select(account_keys).where(account_keys.c.account_id == account_id)).first()
    if row is None:
        return False
    kek, pkey = _unwrap(row, account_id, password)
    vault.hold_account_kek(account_id, kek, password_key=pkey)
    return True


def open_with_account(engine: Engine, settings: Settings, username: str, password: str) -> Vault:
    """Open a vault with one account's own keys (no vault passphrase): that account's KEK plus the integrity keys.

    The caller still runs the ordinary password check (row MAC, hash, lock-out) on the returned vault.
    """
    from .vault import Vault

    with engine.connect() as conn:
        meta = conn.execute(select(vault_meta.c.vault_id)).first()
        acc = conn.execute(select(accounts.c.id).where(accounts.c.username == username)).first()
        row = conn.execute(select(account_keys).where(account_keys.c.account_id == acc.id)).first() if acc else None
    if meta is None:
        raise NotFoundError("no vault here: run `sessionlens init` first")
    if row is None:
        keys.derive_passphrase_key(password or "-", b"\0" * keys.SALT_BYTES, _params(settings))  # same cost
        raise AuthError("the vault is locked: its owner signs in with the passphrase first")
    assert acc is not None  # the row was found through the account
    kek, pkey = _unwrap(row, acc.id, password)
    try:
        data = crypto.open_sealed(kek, row.integrity, key_id=f"akek:{acc.id}", key_version=1,
                                  record_id=f"integrity:{meta.vault_id}:{acc.id}")
    except IntegrityError:
        raise IntegrityError(f"record {acc.id} failed authentication (account keys); it was altered") from None
    vault = Vault(engine, meta.vault_id, None, settings, integrity=(data[:32], data[32:]))
    vault.hold_account_kek(acc.id, kek, password_key=pkey)
    return vault


def rotate_account_keys(vault: Vault, conn: Connection, account_id: str, new_password: str) -> int:
    """A new KEK for an account whose KEK is held: rewrap its DEKs, wrap the KEK under the new password."""
    old = vault.account_kek(account_id)
    if old is None:
        raise AuthError("sign in first: your keys are not unlocked")
    new = crypto.new_key()
    count = _rewrap_deks(conn, account_id, old, new)
    share_keys.reseal(conn, account_id, old, new)
    signing.reseal(conn, account_id, old, new)
    values, pkey = _wrapped(vault, conn, account_id, new, new_password)
    conn.execute(update(account_keys).where(account_keys.c.account_id == account_id).values(**values))
    vault.hold_account_kek(account_id, new, password_key=pkey)
    return count


def _rewrap_deks(conn: Connection, account_id: str, old: bytes, new: bytes) -> int:
    rows = conn.execute(select(client_keys).where(client_keys.c.wrapped_by == account_id)).all()
    for r in rows:
        dek = keys.unwrap_dek(old, r.wrapped, key_id=r.key_id, version=r.version, client_id=r.client_id,
                              kek_id=f"akek:{account_id}")
        conn.execute(update(client_keys).where(client_keys.c.key_id == r.key_id).values(
            wrapped=keys.wrap_dek(new, dek, key_id=r.key_id, version=r.version, client_id=r.client_id,
                                  kek_id=f"akek:{account_id}")))
    return len(rows)


def rotate_after_shred(vault: Vault, conn: Connection, account_id: str) -> bool:
    """A fresh KEK for an account that just shredded a client: its remaining DEKs are rewrapped and the new
    KEK is wrapped under the same password key (held since sign-in) and sealed to the escrow key again.

    A copy of the shredded client's wrapped DEK that survives outside the live rows (PostgreSQL dead tuples
    or WAL, a file-system remnant) is wrapped by the old KEK, which no longer exists anywhere: the password
    now opens only the new one. False when this process does not hold the password key (a worker).
    """
    old, pkey = vault.account_kek(account_id), vault.password_key(account_id)
    row = conn.execute(select(account_keys).where(account_keys.c.account_id == account_id)).first()
    if old is None or pkey is None or row is None:
        return False
    new = crypto.new_key()
    _rewrap_deks(conn, account_id, old, new)
    share_keys.reseal(conn, account_id, old, new)
    signing.reseal(conn, account_id, old, new)
    public = _escrow_public(vault, conn)
    conn.execute(update(account_keys).where(account_keys.c.account_id == account_id).values(
        kek_by_password=crypto.seal(pkey, new, key_id="password", key_version=1, record_id=f"akek:{account_id}"),
        kek_by_escrow=_seal_to(public, new, f"akek:{account_id}") if public else None,
        integrity=_integrity(vault, account_id, new)))
    vault.hold_account_kek(account_id, new, password_key=pkey)
    return True


def recover_account_keys(vault: Vault, conn: Connection, account_id: str, recovery_key: str,
                         new_password: str) -> None:
    """Break glass: open the account's KEK through the escrow (vault recovery key), wrap it under a new password."""
    esc = _escrow_row(vault, conn)
    row = conn.execute(select(account_keys).where(account_keys.c.account_id == account_id)).first()
    if esc is None or row is None or row.kek_by_escrow is None:
        raise NotFoundError(f"account {account_id} has no escrowed keys")
    try:
        raw = crypto.open_sealed(keys.recovery_key_bytes(recovery_key), esc.private_by_recovery, key_id="recovery",
                                 key_version=1, record_id=f"escrow:{vault.vault_id}")
    except IntegrityError:
        raise AuthError("wrong recovery key") from None
    kek = _open_from(X25519PrivateKey.from_private_bytes(raw), bytes(row.kek_by_escrow), f"akek:{account_id}")
    conn.execute(update(account_keys).where(account_keys.c.account_id == account_id)
                 .values(**_wrapped_values(vault, conn, account_id, kek, new_password)))


def grant_payload(vault: Vault, account_id: str, *, owner: bool) -> bytes:
    """What a worker needs to act for this account (see services.keyring): kept in memory only, sealed in transit."""
    def b(x: bytes) -> str:
        return x.hex()

    audit_key, row_key = vault.integrity_keys
    kek = vault.kek if owner else vault.account_kek(account_id)
    if kek is None:
        raise AuthError("the keys are not unlocked")
    return json.dumps({"vault": vault.vault_id, "account": account_id, "owner": owner, "kek": b(kek),
                       "audit": b(audit_key), "row": b(row_key)}).encode()


def vault_from_grant(engine: Engine, settings: Settings, payload: bytes) -> Vault:
    from .vault import Vault

    g = json.loads(payload)
    kek = bytes.fromhex(g["kek"])
    if g["owner"]:
        return Vault(engine, g["vault"], kek, settings)
    vault = Vault(engine, g["vault"], None, settings, integrity=(bytes.fromhex(g["audit"]), bytes.fromhex(g["row"])))
    vault.hold_account_kek(g["account"], kek)
    return vault
