"""Shares sealed to the supervisor's own key (issue 17, finding 9).

Every account with its own key hierarchy has an X25519 key pair: the public half in ``account_keys`` and
pinned in the audit anchor (outside the database, like the escrow key), the private half sealed under the
account KEK. Sharing a session seals the client's DEK to the grantee's pinned public key (``share_keys``),
so the supervisor opens it with their own password, whether or not the sharing clinician is signed in.
The grantee holds the client's DEK from then on; the app still shows them only the shared sessions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from sqlalchemy import Connection, delete, insert, select, update

from ..errors import IntegrityError
from . import anchor, crypto
from .models import account_keys, share_keys, shares

if TYPE_CHECKING:
    from .vault import Vault


def _record(account_id: str) -> str:
    return f"xkey:{account_id}"


def new_pair(kek: bytes, account_id: str) -> dict[str, bytes]:
    """The ``account_keys`` columns of a fresh key pair for an account whose KEK is ``kek``."""
    private = X25519PrivateKey.generate()
    raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return {"public_key": private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
            "private_sealed": crypto.seal(kek, raw, key_id=f"akek:{account_id}", key_version=1,
                                          record_id=_record(account_id))}


def _private(kek: bytes, account_id: str, sealed: bytes) -> X25519PrivateKey:
    raw = crypto.open_sealed(kek, sealed, key_id=f"akek:{account_id}", key_version=1, record_id=_record(account_id))
    return X25519PrivateKey.from_private_bytes(raw)


def reseal(conn: Connection, account_id: str, old: bytes, new: bytes) -> None:
    """The account's KEK changed: its private key follows (a new pair if it had none yet)."""
    row = conn.execute(select(account_keys.c.private_sealed).where(account_keys.c.account_id == account_id)).first()
    if row is None:
        return
    if row.private_sealed is None:
        values = new_pair(new, account_id)
    else:
        raw = _private(old, account_id, bytes(row.private_sealed)).private_bytes(Encoding.Raw, PrivateFormat.Raw,
                                                                                  NoEncryption())
        values = {"private_sealed": crypto.seal(new, raw, key_id=f"akek:{account_id}", key_version=1,
                                                record_id=_record(account_id))}
    conn.execute(update(account_keys).where(account_keys.c.account_id == account_id).values(**values))


def ensure_pair(vault: Vault, conn: Connection, account_id: str) -> bool:
    """An account made before key pairs existed gets one at sign-in, when its KEK is held (its password was
    just checked); True when one was made. The caller audits it; the next anchor pins its public half."""
    kek = vault.account_kek(account_id)
    if kek is None:
        return False
    row = conn.execute(select(account_keys.c.private_sealed).where(account_keys.c.account_id == account_id)).first()
    if row is None or row.private_sealed is not None:
        return False
    conn.execute(update(account_keys).where(account_keys.c.account_id == account_id)
                 .values(**new_pair(kek, account_id)))
    return True


def _pinned_public(vault: Vault, conn: Connection, account_id: str) -> bytes | None:
    """The grantee's public key if the anchor pins it; IntegrityError if the database holds another one."""
    row = conn.execute(select(account_keys.c.public_key).where(account_keys.c.account_id == account_id)).first()
    if row is None or row.public_key is None:
        return None
    pinned = vault.read_anchor()
    fp = pinned.accounts.get(account_id) if pinned else None
    if fp is None:
        return None  # not anchored yet: the share falls back to the sharing clinician's keys
    if fp != anchor.fingerprint(bytes(row.public_key)):
        raise IntegrityError(f"record {account_id} (account public key) does not match the key pinned outside "
                             "the database; it was replaced, and nothing is sealed to it")
    return bytes(row.public_key)


def seal_for(vault: Vault, conn: Connection, share_id: str, grantee_id: str, key_id: str, key_version: int) -> bool:
    """Seal the client's DEK to the grantee (call after inserting the share); False if they have no pinned key."""
    from .tenancy import _seal_to  # local: tenancy builds on vault

    public = _pinned_public(vault, conn, grantee_id)
    if public is None:
        return False
    dek = vault.client_key(conn, key_id, key_version)
    purge_orphans(conn)
    conn.execute(delete(share_keys).where(share_keys.c.share_id == share_id))
    conn.execute(insert(share_keys).values(share_id=share_id, key_id=key_id, key_version=key_version,
                                           sealed=_seal_to(public, dek, f"share:{share_id}:{key_id}")))
    return True


def open_for(vault: Vault, conn: Connection, account_id: str, key_id: str) -> bytes | None:
    """The DEK sealed to ``account_id`` by a share that still exists, opened with its own keys (else None)."""
    from .tenancy import _open_from

    kek = vault.account_kek(account_id)
    if kek is None:
        return None
    q = (select(share_keys.c.share_id, share_keys.c.sealed).join(shares, shares.c.id == share_keys.c.share_id)
         .where(share_keys.c.key_id == key_id, shares.c.grantee_id == account_id))
    hit = conn.execute(q.limit(1)).first()
    mine = conn.execute(select(account_keys.c.private_sealed).where(account_keys.c.account_id == account_id)).first()
    if hit is None or mine is None or mine.private_sealed is None:
        return None
    private = _private(kek, account_id, bytes(mine.private_sealed))
    return _open_from(private, bytes(hit.sealed), f"share:{hit.share_id}:{key_id}")


def purge_orphans(conn: Connection) -> int:
    """Sealed DEKs whose share was removed (unshare, session deletion) go too."""
    return conn.execute(delete(share_keys).where(share_keys.c.share_id.not_in(select(shares.c.id)))).rowcount


def has_pair(conn: Connection, account_id: str) -> bool:
    row = conn.execute(select(account_keys.c.public_key).where(account_keys.c.account_id == account_id)).first()
    return row is not None and row.public_key is not None


def public_pins(conn: Connection) -> dict[str, str]:
    """Fingerprints of every account public key in the database (what the anchor pins on first sight)."""
    rows = conn.execute(select(account_keys.c.account_id, account_keys.c.public_key)).all()
    return {r.account_id: anchor.fingerprint(bytes(r.public_key)) for r in rows if r.public_key is not None}
