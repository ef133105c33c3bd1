"""What a sign-in does for per-account signing (vault/signing.py), while the account's KEK is held.

1. An account made before signing keys gets its pair (audited by the caller).
2. The root it trusts is the owner's key as the database and anchor show it now, if it has none yet
   (trust on first use: the one moment an insider's earlier rewrite would be believed).
3. The migration: the owner, or an admin whose own role verifies, signs every role row still unsigned and
   re-signs (binding the key it has now) a validly signed row made before its subject had a key; a
   clinician signs the unsigned shares it granted on clients it owns. Not once the account is strict:
   from then on an unsigned row is an attack, not a row from before. And only rows as they were at the
   release: the first passphrase open (where migrations run) or sign-in after it records in the anchor
   (outside the database) a digest of every row still unsigned; a row inserted or rewritten since (even
   with its role re-pinned) is refused, audited ``refused:signatures.migration``. No record (the anchor
   cannot be written here): nothing is signed.
4. Its own role is checked against its root (refused unless it verifies); the account is then strict (it
   signs nothing left unsigned any more); once every share granted to it verifies, strict for shares too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select
from sqlalchemy.engine import Row

from ..errors import IntegrityError
from . import anchor, signing
from .ids import now_iso
from .models import accounts, clients, sessions, shares

if TYPE_CHECKING:
    from .vault import Vault

log = logging.getLogger("sessionlens.signing")


@dataclass(frozen=True, slots=True)
class SignedIn:
    key_created: bool
    roles_signed: int
    shares_signed: int


def at_sign_in(vault: Vault, conn: Connection, account_id: str) -> SignedIn:
    """Run the steps above; IntegrityError (the caller audits it) when the account's own role does not verify."""
    made = signing.ensure_key(vault, conn, account_id)
    h = signing.held(vault, conn, account_id)
    if h is None:
        return SignedIn(made, 0, 0)
    root = h.root or signing.owner_root(vault, conn)
    me = _row(conn, account_id)
    roles = shares_done = 0
    record = None if h.strict else _record(vault, conn)
    if me.role == "clinician" and not h.strict:
        shares_done = _sign_shares(vault, conn, me, record or {})
    if root is not None:
        if me.is_owner and root == signing.raw_public(h.private) and (me.role_sig is None and not h.strict
                                                                      or _stale(conn, me)):
            signing.sign_role(vault, conn, account_id, account_id)  # the root signs itself
            me = _row(conn, account_id)
        if (me.is_owner or me.role == "admin") and not me.disabled and _verifies(vault, conn, me, root):
            roles = _sign_roles(vault, conn, me, root, None if h.strict else record or {})
        flags = _checked_flags(vault, conn, _row(conn, account_id), root, h.flags)
        if flags != h.flags or root != h.root:
            signing.update_state(vault, conn, account_id, root=root, flags=flags)
    return SignedIn(made, roles, shares_done)


def _checked_flags(vault: Vault, conn: Connection, me: Row[*tuple[Any, ...]], root: bytes, flags: int) -> int:
    signing.check_chain(vault, conn, me, root)  # with a root every row is signed (signing.check_role); else refused
    flags |= signing.STRICT_ROLES
    if flags & signing.STRICT_ROLES and all(_share_verifies(vault, conn, s, root) for s in
                                             conn.execute(select(shares).where(shares.c.grantee_id == me.id))):
        flags |= signing.STRICT_SHARES
    return flags


def _share_verifies(vault: Vault, conn: Connection, share: Row[*tuple[Any, ...]], root: bytes) -> bool:
    return _holds(signing.verify_share, vault, conn, share, root)


def _row(conn: Connection, account_id: str) -> Row[*tuple[Any, ...]]:
    return conn.execute(select(accounts).where(accounts.c.id == account_id)).one()


def _stale(conn: Connection, row: Row[*tuple[Any, ...]]) -> bool:
    """Signed before its subject had a signing key (the key is bound only when it exists)."""
    return row.role_sig is not None and not row.role_key and bool(signing.key_fingerprint(conn, row.id))


def _verifies(vault: Vault, conn: Connection, row: Row[*tuple[Any, ...]], root: bytes) -> bool:
    return _holds(signing.check_chain, vault, conn, row, root)


def _holds(check: Callable[[Vault, Connection, Row[*tuple[Any, ...]], bytes], object], vault: Vault,
           conn: Connection, row: Row[*tuple[Any, ...]], root: bytes) -> bool:
    """Whether a signature check passes (it raises IntegrityError when it does not)."""
    try:
        check(vault, conn, row, root)
    except IntegrityError:
        return False
    return True


def _sign_roles(vault: Vault, conn: Connection, signer: Row[*tuple[Any, ...]], root: bytes,
                record: dict[str, str] | None) -> int:
    """``record`` None: the signer is strict (it signs no unsigned row, only re-signs stale ones)."""
    count = 0
    for row in conn.execute(select(accounts).order_by(accounts.c.created_at)).all():
        if row.is_owner and row.id != signer.id:
            continue  # the owner's row is signed by the owner alone (the root)
        if row.role_sig is None and record is not None:
            if _as_recorded(vault, conn, signer, record, f"role:{row.id}", _role_digest(vault, row)):
                count += signing.sign_role(vault, conn, signer.id, row.id)
        elif _stale(conn, row) and _verifies(vault, conn, row, root):
            count += signing.sign_role(vault, conn, signer.id, row.id)
    return count


def _sign_shares(vault: Vault, conn: Connection, clinician: Row[*tuple[Any, ...]], record: dict[str, str]) -> int:
    q = (select(shares, clients.c.id.label("client_id")).join(sessions, sessions.c.id == shares.c.session_id)
         .join(clients, clients.c.id == sessions.c.client_id)
         .where(shares.c.granted_by == clinician.id, clients.c.owner_id == clinician.id, shares.c.sig.is_(None)))
    return sum(signing.sign_share(vault, conn, row) for row in conn.execute(q).all()
               if _as_recorded(vault, conn, clinician, record, f"share:{row.id}", _share_digest(vault, row)))


# --- the migration's record (vault/anchor.py keeps it) ------------------------------------------------

def take_record(vault: Vault) -> None:
    """Take the record when the passphrase holder opens the vault (where migrations run): the release. A
    damaged anchor does not stop the open here: ``audit verify`` and every sign-in report it."""
    try:
        with vault.engine.connect() as conn:
            _record(vault, conn)
    except IntegrityError as exc:
        log.warning("signing migration record not taken: %s", exc)


def _record(vault: Vault, conn: Connection) -> dict[str, str] | None:
    """The record in the anchor; the first sign-in that finds none takes it from the rows unsigned now."""
    pinned = vault.read_anchor()
    if pinned is not None and pinned.record:
        return pinned.record
    taken = {"taken": now_iso()}
    for row in conn.execute(select(accounts).where(accounts.c.role_sig.is_(None))):
        taken[f"role:{row.id}"] = _role_digest(vault, row)
    for row in conn.execute(select(shares, sessions.c.client_id).join(sessions, sessions.c.id == shares.c.session_id)
                            .where(shares.c.sig.is_(None))):
        taken[f"share:{row.id}"] = _share_digest(vault, row)
    return anchor.take_record(vault, taken)


def _role_digest(vault: Vault, row: Row[*tuple[Any, ...]]) -> str:
    return signing.state_digest(signing.role_bytes(vault.vault_id, row, "-", "-"))


def _share_digest(vault: Vault, row: Row[*tuple[Any, ...]]) -> str:
    return signing.state_digest(signing.share_bytes(vault.vault_id, row, str(row.client_id)))


def _as_recorded(vault: Vault, conn: Connection, signer: Row[*tuple[Any, ...]], record: dict[str, str], key: str,
                 digest: str) -> bool:
    """Whether the row is as the record has it; if not it stays unsigned, and the refusal is audited."""
    if record.get(key) == digest:
        return True
    table, _, row_id = key.partition(":")
    vault.audit(conn, actor=signer.username, action="refused:signatures.migration", target=row_id,
                detail={"row": table, "why": "not in the record" if key not in record else "changed since"})
    return False
