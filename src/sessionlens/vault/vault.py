"""An open, unlocked vault: the engine plus the keys the passphrase released.

Creating a vault writes the Argon2id salt and cost, and the KEK wrapped twice (by the passphrase
key and by the recovery key). Opening derives the passphrase key and unwraps the KEK; a wrong
passphrase raises :class:`AuthError` before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from ..config import Settings
from ..errors import AuthError, InputError, IntegrityError, NotFoundError
from . import anchor, audit, crypto, keys, passphrase_rules, store
from .audit import Head, Verdict
from .audit_batch import deferred as deferred_audit
from .ids import new_id, now_iso
from .models import client_keys, reflections, sessions, shares, vault_meta

FORMAT = 1
# Transactions open on this thread/task, and whether one of them appended to the audit chain: the anchor
# moves after the outermost one commits (a nested read inside an open SQLite write would wait on itself).
_DEPTH: ContextVar[int] = ContextVar("sessionlens_tx_depth", default=0)
_APPENDED: ContextVar[bool] = ContextVar("sessionlens_tx_appended", default=False)
# The account a use case acts for (services.permissions.unit_of_work): a practice-server DEK unwraps only for
# the account whose KEK wraps it, or an account it was shared with — whatever clients.owner_id says.
ROLE_PINS = "sessionlens.role_pins"  # conn.info: account id -> role to pin in the anchor after the commit
_ACTING: ContextVar[str | None] = ContextVar("sessionlens_acting_account", default=None)


@contextmanager
def acting_as(account_id: str) -> Iterator[None]:
    token = _ACTING.set(account_id)
    try:
        yield
    finally:
        _ACTING.reset(token)


class KeysLockedError(AuthError):
    """A record's keys are not in memory: its clinician is signed out and approved no job."""


def kdf_params(settings: Settings) -> keys.KdfParams:
    return keys.KdfParams(settings.kdf_memory_mib * 1024, settings.kdf_time_cost, settings.kdf_parallelism).check()


class Vault:
    """Holds the KEK in memory while open; :meth:`close` drops it and disposes of the engine."""

    def __init__(self, engine: Engine, vault_id: str, kek: bytes | None, settings: Settings,
                 *, integrity: tuple[bytes, bytes] | None = None) -> None:
        """``kek=None`` with ``integrity`` (audit, row MAC keys): a practice server opened by an account's own keys."""
        self.engine = engine
        self.vault_id = vault_id
        self.settings = settings
        self._kek: bytes | None = kek
        if kek is not None:
            integrity = keys.subkey(kek, "sessionlens-audit-mac-v1"), keys.subkey(kek, "sessionlens-row-mac-v1")
        if integrity is None:
            raise AuthError("the vault is locked")
        self._audit_key, self._row_key = integrity
        self._account_keks: dict[str, bytes] = {}  # account id -> that account's own KEK (see tenancy.py)
        self._password_keys: dict[str, bytes] = {}  # account id -> its password key (rotates the KEK on shred)

    # --- lifecycle ---------------------------------------------------------------------------

    @classmethod
    def create(cls, engine: Engine, passphrase: str, settings: Settings | None = None) -> tuple[Vault, str]:
        """Create a vault in an empty database; returns it and the recovery key (show it once)."""
        settings = settings or Settings()
        params = kdf_params(settings)
        passphrase_rules.check(passphrase, settings)
        store.migrate(engine)
        with engine.connect() as conn:
            if conn.execute(select(vault_meta.c.id)).first():
                raise InputError("a vault already exists here")
        vault_id = new_id("vault")
        kek, salt, recovery = crypto.new_key(), keys.new_salt(), keys.new_recovery_key()
        pkey = keys.derive_passphrase_key(passphrase, salt, params)
        with store.transaction(engine) as conn:
            if conn.execute(select(vault_meta.c.id)).first():
                raise InputError("a vault already exists here")
            conn.execute(insert(vault_meta).values(
                id=1, vault_id=vault_id, format=FORMAT, created_at=now_iso(),
                kdf_memory_kib=params.memory_kib, kdf_time_cost=params.time_cost,
                kdf_parallelism=params.parallelism, kdf_salt=salt,
                kek_by_passphrase=keys.wrap_kek(pkey, kek, vault_id=vault_id, via="passphrase"),
                kek_by_recovery=keys.wrap_kek(keys.recovery_key_bytes(recovery), kek, vault_id=vault_id,
                                              via="recovery"),
            ))
            vault = cls(engine, vault_id, kek, settings)
            vault.audit(conn, actor="system", action="vault.create", target=vault_id)
            from . import tenancy  # local: tenancy builds on this module

            tenancy.create_escrow(vault, conn, recovery)
        return vault, recovery

    @staticmethod
    def exists(engine: Engine) -> bool:
        """Whether a vault was created in this database (reads only)."""
        if not store.has_schema(engine):
            return False
        with engine.connect() as conn:
            return conn.execute(select(vault_meta.c.id)).first() is not None

    @classmethod
    def open(cls, engine: Engine, *, passphrase: str | None = None, recovery_key: str | None = None,
             settings: Settings | None = None) -> Vault:
        """Unlock with the passphrase (or the recovery key). Read-only until it succeeds."""
        settings = settings or Settings()
        if not store.has_schema(engine):
            raise NotFoundError("no vault here: run `sessionlens init` first")
        with engine.connect() as conn:
            meta = conn.execute(select(vault_meta).where(vault_meta.c.id == 1)).first()
        if meta is None:
            raise NotFoundError("no vault here: run `sessionlens init` first")
        if recovery_key is not None:
            wrapping, wrapped, via = keys.recovery_key_bytes(recovery_key), meta.kek_by_recovery, "recovery"
        elif passphrase:
            params = keys.KdfParams(meta.kdf_memory_kib, meta.kdf_time_cost, meta.kdf_parallelism)
            wrapping = keys.derive_passphrase_key(passphrase, meta.kdf_salt, params)
            wrapped, via = meta.kek_by_passphrase, "passphrase"
        else:
            raise AuthError("a passphrase is needed to unlock the vault")
        try:
            kek = keys.unwrap_kek(wrapping, wrapped, vault_id=meta.vault_id, via=via)
        except AuthError:
            engine.dispose()  # leave the files as they were: no WAL or lock left behind
            raise
        store.migrate(engine)  # only once unlocked: a wrong passphrase changes nothing, not even the schema
        vault = cls(engine, meta.vault_id, kek, settings)
        from . import signing_sign_in  # local: it builds on this module

        signing_sign_in.take_record(vault)  # the release migration's record of unsigned rows, if none yet
        return vault

    def change_passphrase(self, new_passphrase: str) -> None:
        passphrase_rules.check(new_passphrase, self.settings)
        params, salt = kdf_params(self.settings), keys.new_salt()
        pkey = keys.derive_passphrase_key(new_passphrase, salt, params)
        with self.transaction() as conn:
            conn.execute(vault_meta.update().where(vault_meta.c.id == 1).values(
                kdf_memory_kib=params.memory_kib, kdf_time_cost=params.time_cost,
                kdf_parallelism=params.parallelism, kdf_salt=salt,
                kek_by_passphrase=keys.wrap_kek(pkey, self.kek, vault_id=self.vault_id, via="passphrase")))
            self.audit(conn, actor="system", action="vault.passphrase_change", target=self.vault_id)

    def close(self) -> None:
        self._kek = None
        self._account_keks.clear()
        self._password_keys.clear()
        self.engine.dispose()

    # --- per-account keys (practice server) ---------------------------------------------------

    @property
    def integrity_keys(self) -> tuple[bytes, bytes]:
        return self._audit_key, self._row_key

    @property
    def has_vault_kek(self) -> bool:
        return self._kek is not None

    def adopt_kek(self, kek: bytes) -> None:
        """The owner signed in on a server opened by account keys: hold the vault KEK too."""
        self._kek = kek

    def drop_vault_kek(self) -> None:
        self._kek = None

    def hold_account_kek(self, account_id: str, kek: bytes, *, password_key: bytes | None = None) -> None:
        self._account_keks[account_id] = kek
        if password_key is not None:
            self._password_keys[account_id] = password_key

    def drop_account_kek(self, account_id: str) -> None:
        self._account_keks.pop(account_id, None)
        self._password_keys.pop(account_id, None)

    def password_key(self, account_id: str) -> bytes | None:
        return self._password_keys.get(account_id)

    def account_kek(self, account_id: str) -> bytes | None:
        return self._account_keks.get(account_id)

    def held_accounts(self) -> tuple[str, ...]:
        return tuple(self._account_keks)

    @property
    def kek(self) -> bytes:
        if self._kek is None:
            raise AuthError("the vault is locked")
        return self._kek

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One atomic unit of work; once it commits, an audit entry it appended moves the anchor forward."""
        depth = _DEPTH.set(_DEPTH.get() + 1)
        try:
            with store.transaction(self.engine) as conn:
                conn.info.pop(audit.APPENDED, None)
                conn.info.pop(ROLE_PINS, None)
                conn.info.pop(anchor.STATE_PINS, None)
                yield conn
                if conn.info.pop(audit.APPENDED, False):
                    _APPENDED.set(True)
                pins = conn.info.pop(ROLE_PINS, None)
                states = conn.info.pop(anchor.STATE_PINS, None)
        finally:
            _DEPTH.reset(depth)
        if _DEPTH.get() == 0 and _APPENDED.get():
            _APPENDED.set(False)
            anchor.advance(self)
        if pins:  # roles set in this transaction, now committed (vault/accounts.py)
            anchor.pin_roles(self, pins)
        if states:  # sealed signing states written or first seen in it (vault/signing.py)
            anchor.pin_states(self, states)

    # --- the anchor outside the database (vault/anchor.py) -------------------------------------

    @property
    def anchor_path(self) -> Path:
        return anchor.path_for(anchor.directory(self.settings, self.engine), self.vault_id, self.engine)

    def read_anchor(self) -> anchor.Anchor | None:
        """The anchor, re-read (and its signature checked) only when the file changed: accounts check roles often."""
        path = self.anchor_path
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        except PermissionError:  # a worker kept out of the anchor directory: it checks nothing against it
            return None
        stamp = (str(path), st.st_ino, st.st_mtime_ns, st.st_size)
        cached: tuple[tuple[str, int, int, int], anchor.Anchor | None] | None = self.__dict__.get("_anchor_cache")
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            found = anchor.read(path)
        except PermissionError:
            return None
        self.__dict__["_anchor_cache"] = (stamp, found)
        return found

    # --- audit and row MACs ------------------------------------------------------------------

    def audit(self, conn: Connection, *, actor: str, action: str, target: str,
              detail: Mapping[str, Any] | None = None) -> audit.Entry:
        deferred = deferred_audit()
        if deferred is not None:  # a read request: one entry for it, by the vault's audit writer
            return deferred.add(self, actor=actor, action=action, target=target, detail=detail)
        return audit.append(conn, self._audit_key, actor=actor, action=action, target=target, detail=detail)

    def verify_audit(self, conn: Connection, known_head: Head | None = None,
                     anchor_copy: Path | None = None) -> Verdict:
        """The chain, its stored head, an exported head if given, the anchor kept outside the database and,
        if given, the append-only copy of every anchored head (``audit_anchor_copy``)."""
        verdict = audit.verify_stored(conn, self._audit_key, known_head)
        if verdict.ok:
            verdict = anchor.check(conn, self._audit_key, self.read_anchor()) or verdict
        if verdict.ok and anchor_copy is not None:
            verdict = anchor.check_copy(conn, anchor_copy, self.vault_id, anchor.public_key_of(self)) or verdict
        return verdict

    def row_mac(self, table: str, row_id: str, fields: Mapping[str, Any]) -> str:
        payload = crypto.associated_data(table, 1, row_id, fields)
        return keys.mac(self._row_key, payload)

    def check_row_mac(self, table: str, row_id: str, fields: Mapping[str, Any], mac: str) -> None:
        if not keys.mac_equal(self.row_mac(table, row_id, fields), mac):
            raise IntegrityError(f"record {row_id} failed authentication (MAC mismatch); it was altered")

    # --- client data keys --------------------------------------------------------------------

    def new_client_key(self, conn: Connection, client_id: str, owner: str | None = None) -> tuple[str, int]:
        """A new DEK, wrapped by ``owner``'s own KEK when that account has one (server), else by the vault KEK."""
        key_id, version = new_id("key"), 1
        by = owner if owner is not None and owner in self._account_keks else None
        kek = self._account_keks[by] if by else self.kek
        wrapped = keys.wrap_dek(kek, crypto.new_key(), key_id=key_id, version=version, client_id=client_id,
                                kek_id=f"akek:{by}" if by else keys.KEK_ID)
        conn.execute(insert(client_keys).values(key_id=key_id, client_id=client_id, version=version,
                                                created_at=now_iso(), wrapped=wrapped, wrapped_by=by))
        return key_id, version

    def client_key(self, conn: Connection, key_id: str, version: int) -> bytes:
        row = conn.execute(select(client_keys).where(client_keys.c.key_id == key_id)).first()
        if row is None or row.version != version:
            raise NotFoundError(f"key {key_id} does not exist (destroyed?)")
        if row.wrapped_by is None:
            return keys.unwrap_dek(self.kek, row.wrapped, key_id=key_id, version=version, client_id=row.client_id)
        acting = _ACTING.get()
        if acting is not None and acting != row.wrapped_by:
            dek = self._foreign_key(conn, acting, row.client_id, key_id)
            if dek is not None:
                return dek
        kek = self._account_keks.get(row.wrapped_by)
        if kek is None:
            raise KeysLockedError("the keys of this record's clinician are not unlocked (they are signed out)")
        return keys.unwrap_dek(kek, row.wrapped, key_id=key_id, version=version, client_id=row.client_id,
                               kek_id=f"akek:{row.wrapped_by}")

    def _shared_with(self, conn: Connection, account_id: str, client_id: str) -> bool:
        """A MAC-verified share of one of this client's sessions with ``account_id`` (a supervisor)."""
        q = (select(shares).join(sessions, sessions.c.id == shares.c.session_id)
             .where(sessions.c.client_id == client_id, shares.c.grantee_id == account_id))
        for r in conn.execute(q):
            fields = {k: r._mapping[k] for k in ("session_id", "grantee_id", "granted_by", "created_at")}
            self.check_row_mac("shares", r.id, fields, r.mac)
            return True
        return False

    def _foreign_key(self, conn: Connection, acting: str, client_id: str, key_id: str) -> bytes | None:
        """Another clinician's DEK for ``acting``: sealed to their own key by a share (the DEK), else None when
        the legacy path (the clinician's held KEK) may serve — a packet addressed to them, or a share to an
        account with no key pair yet; otherwise not found. A share row forged with the row-MAC key therefore
        opens nothing for an account with a key pair: it has no sealed DEK."""
        from . import share_keys  # local: share_keys builds on this module

        dek = share_keys.open_for(self, conn, acting, key_id)
        if dek is not None:
            return dek
        if self._addressed_to(conn, acting, key_id):
            return None
        if self._shared_with(conn, acting, client_id) and not share_keys.has_pair(conn, acting):
            return None
        raise NotFoundError(f"record {client_id} not found")  # another clinician's key: no access

    @staticmethod
    def _addressed_to(conn: Connection, account_id: str, key_id: str) -> bool:
        """A supervision packet sealed under this key was addressed to ``account_id`` (services/supervision)."""
        q = select(reflections.c.id).where(reflections.c.kind == "packet", reflections.c.key_id == key_id,
                                           reflections.c.recipient_id == account_id)
        return conn.execute(q.limit(1)).first() is not None

    def destroy_client_keys(self, conn: Connection, client_id: str) -> int:
        """Crypto-shred: the client's DEKs and job checkpoints go, and the wrapping account KEK rotates (shred.py)."""
        from . import shred  # local: shred builds on this module

        return shred.destroy_client_keys(self, conn, client_id)
