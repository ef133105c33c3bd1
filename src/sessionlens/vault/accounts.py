"""Accounts: clinician, supervisor, admin. Argon2id password hashes, lock-out, no default accounts.

The vault's *owner* (created by ``init``) authenticates with the vault passphrase itself and has
no password hash; every other account logs in with its own password. Each row carries an HMAC
under a KEK-derived key, so a role or lock flag edited on disk is detected, not obeyed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, insert, select, update
from sqlalchemy.engine import Row
from typing_extensions import TypedDict

from ..config import Settings
from ..errors import AuthError, InputError, IntegrityError, NotFoundError
from ..payloads.services_accounts import AccountShown
from .ids import iso, new_id, now, now_iso, parse_iso
from .models import accounts
from .roles import Role
from .vault import ROLE_PINS, Vault



@functools.cache
def _hasher_for(memory_kib: int, time_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def _hasher(settings: Settings | None) -> PasswordHasher:
    """Password hashes cost what the KEK wrap costs (``kdf_*`` settings): both check the same password, and an
    attacker with a database copy guesses against the cheaper one — 64 MiB hashes beside 256 MiB wraps
    made the wrap's cost moot. Verification reads the parameters from the stored hash."""
    s = settings or Settings()
    return _hasher_for(s.kdf_memory_mib * 1024, s.kdf_time_cost, s.kdf_parallelism)
_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 12
# The fields the row MAC covers: everything that decides who may do what.
_MAC_FIELDS = ("username", "role", "is_owner", "password_hash", "disabled", "failed_attempts", "locked_until")


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    username: str
    role: Role
    is_owner: bool
    disabled: bool
    locked_until: str | None

    def public(self) -> AccountShown:
        return {"id": self.id, "username": self.username, "role": self.role.value, "owner": self.is_owner,
                "disabled": self.disabled, "locked_until": self.locked_until}


def check_username(name: str) -> str:
    if not _USERNAME.match(name):
        raise InputError("a username is 2-64 characters: lowercase letters, digits, '.', '_' or '-', "
                         "starting with a letter")
    return name


def hash_password(password: str, settings: Settings | None = None) -> str:
    if len(password) < MIN_PASSWORD:
        raise InputError(f"a password must have at least {MIN_PASSWORD} characters")
    return _hasher(settings).hash(password)


class _NewAccount(TypedDict):
    """An accounts row as ``create`` inserts it (its MAC added beside)."""

    id: str
    username: str
    role: str
    is_owner: int
    password_hash: str | None
    disabled: int
    failed_attempts: int
    locked_until: str | None
    created_at: str


def _fields(row: Row[*tuple[Any, ...]] | Mapping[str, object]) -> dict[str, object]:
    m = row._mapping if isinstance(row, Row) else row
    return {k: m[k] for k in _MAC_FIELDS}


def _role_pin(role: str, is_owner: object, disabled: object = 0) -> str:
    return role + ("+owner" if is_owner else "") + ("+disabled" if disabled else "")


def _pin(conn: Connection, account_id: str, role: str, is_owner: object, disabled: object = 0) -> None:
    """Pin who the account is (role, owner, disabled) in the audit anchor once this transaction commits."""
    conn.info.setdefault(ROLE_PINS, {})[account_id] = _role_pin(role, is_owner, disabled)


def _checked(vault: Vault, row: Row[*tuple[Any, ...]], conn: Connection | None = None) -> Account:
    """The row MAC (any account holds its key), then the role pinned outside the database (none does).

    An account not pinned yet (made before issue 17) is pinned as first seen, when ``conn`` commits."""
    vault.check_row_mac("accounts", row.id, _fields(row), row.mac)
    pending = conn.info.get(ROLE_PINS, {}).get(row.id) if conn is not None else None  # set in this transaction
    pinned = vault.read_anchor()
    known = pending or (pinned.roles.get(row.id) if pinned else None)
    if known is None:
        if conn is not None:
            _pin(conn, row.id, row.role, row.is_owner, row.disabled)
    elif known != _role_pin(row.role, row.is_owner, row.disabled):
        raise IntegrityError(f"record {row.id} (account role) differs from the role pinned outside the database; "
                             "it was altered")
    return Account(row.id, row.username, Role(row.role), bool(row.is_owner), bool(row.disabled), row.locked_until)


def create(vault: Vault, conn: Connection, username: str, role: Role, password: str | None,
           *, owner: bool = False) -> Account:
    check_username(username)
    if conn.execute(select(accounts.c.id).where(accounts.c.username == username)).first():
        raise InputError(f"an account named {username} already exists")
    if password is None and not owner:
        raise InputError("every account except the vault owner needs a password")
    values: _NewAccount = {"id": new_id("account"), "username": username, "role": role.value, "is_owner": int(owner),
              "password_hash": None if password is None else hash_password(password, vault.settings), "disabled": 0,
              "failed_attempts": 0, "locked_until": None, "created_at": now_iso()}
    conn.execute(insert(accounts).values(**values, mac=vault.row_mac("accounts", values["id"], _fields(values))))
    _pin(conn, values["id"], role.value, owner)
    return Account(values["id"], username, role, owner, False, None)


def _save(vault: Vault, conn: Connection, row: Row[*tuple[Any, ...]], **changes: Any) -> None:
    values = {**row._mapping, **changes}
    conn.execute(update(accounts).where(accounts.c.id == row.id)
                 .values(**changes, mac=vault.row_mac("accounts", row.id, _fields(values))))
    if {"role", "is_owner", "disabled"} & set(changes):  # the app changes who the account is: the pin follows
        _pin(conn, row.id, values["role"], values["is_owner"], values["disabled"])


def _row(conn: Connection, username: str) -> Row[*tuple[Any, ...]]:
    row = conn.execute(select(accounts).where(accounts.c.username == username)).first()
    if row is None:
        raise NotFoundError(f"no account named {username}")
    return row


def get(vault: Vault, conn: Connection, username: str) -> Account:
    return _checked(vault, _row(conn, username), conn)


def get_by_id(vault: Vault, conn: Connection, account_id: str) -> Account:
    row = conn.execute(select(accounts).where(accounts.c.id == account_id)).first()
    if row is None:
        raise NotFoundError(f"no account {account_id}")
    return _checked(vault, row, conn)


def all_accounts(vault: Vault, conn: Connection) -> list[Account]:
    return [_checked(vault, r, conn) for r in conn.execute(select(accounts).order_by(accounts.c.username))]


def owner(vault: Vault, conn: Connection) -> Account:
    row = conn.execute(select(accounts).where(accounts.c.is_owner == 1)).first()
    if row is None:
        raise NotFoundError("this vault has no owner account")
    return _checked(vault, row, conn)


def authenticate(vault: Vault, conn: Connection, username: str, password: str) -> Account:
    """Check a password; count failures and lock after ``lockout_attempts`` of them.

    Unknown user, wrong password, disabled and locked all raise AuthError; the counters are
    written in the caller's transaction, which must commit even when this raises.
    """
    row = conn.execute(select(accounts).where(accounts.c.username == username)).first()
    if row is None:
        _hasher(vault.settings).hash("timing-equaliser")  # do not reveal which usernames exist by answering faster
        raise AuthError("wrong username or password")
    account = _checked(vault, row, conn)
    if account.disabled:
        raise AuthError("this account is disabled")
    if account.locked_until and parse_iso(account.locked_until) > now():
        raise AuthError("this account is locked after repeated failures; try later or ask an admin")
    if row.password_hash is None:
        raise AuthError("the vault owner signs in with the vault passphrase")
    try:
        _hasher(vault.settings).verify(row.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        _record_failure(vault, conn, row)
        raise AuthError("wrong username or password") from None
    upgraded: dict[str, str] = {}
    if _hasher(vault.settings).check_needs_rehash(row.password_hash):  # a hash from before: bring it up to cost
        upgraded["password_hash"] = hash_password(password, vault.settings)
    _save(vault, conn, row, failed_attempts=0, locked_until=None, **upgraded)
    return account


def _record_failure(vault: Vault, conn: Connection, row: Row[*tuple[Any, ...]]) -> None:
    failures = row.failed_attempts + 1
    locked = None
    if failures >= vault.settings.lockout_attempts:
        locked, failures = iso(now() + timedelta(minutes=vault.settings.lockout_minutes)), 0
    _save(vault, conn, row, failed_attempts=failures, locked_until=locked)


def unlock(vault: Vault, conn: Connection, username: str) -> Account:
    row = _row(conn, username)
    _checked(vault, row, conn)
    _save(vault, conn, row, failed_attempts=0, locked_until=None)
    return get(vault, conn, username)


def set_disabled(vault: Vault, conn: Connection, username: str, disabled: bool) -> Account:
    row = _row(conn, username)
    if _checked(vault, row, conn).is_owner and disabled:
        raise InputError("the vault owner cannot be disabled")
    _save(vault, conn, row, disabled=int(disabled))
    return get(vault, conn, username)


def set_role(vault: Vault, conn: Connection, username: str, role: Role) -> Account:
    row = _row(conn, username)
    if _checked(vault, row, conn).is_owner:
        raise InputError("the vault owner's role is set when the vault is made")
    _save(vault, conn, row, role=role.value)
    return get(vault, conn, username)


def set_password(vault: Vault, conn: Connection, username: str, password: str) -> None:
    row = _row(conn, username)
    if _checked(vault, row, conn).is_owner:
        raise InputError("the vault owner's secret is the vault passphrase")
    _save(vault, conn, row, password_hash=hash_password(password, vault.settings), failed_attempts=0,
          locked_until=None)
