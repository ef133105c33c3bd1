"""Use cases: create a vault, open it, sign in (owner by passphrase, others by password)."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy.exc
from sqlalchemy import Connection

from ..config import Settings
from ..errors import AuthError, InputError, IntegrityError, NotFoundError
from ..vault import accounts, home, passphrase_rules, share_keys, signing_sign_in, store, tenancy
from ..vault.roles import Role
from ..vault.vault import Vault
from .context import Ctx
from .permissions import Action, require, unit_of_work


class VaultExists(InputError):
    """Set-up was asked for where a vault already is (409 on the web)."""

    http_status = 409


@dataclass(frozen=True, slots=True)
class Created:
    ctx: Ctx
    recovery_key: str
    data_dir: Path


def init_vault(passphrase: str, owner: str, *, role: Role = Role.CLINICIAN, data_dir: str | Path | None = None,
               settings: Settings | None = None) -> Created:
    """Create a vault and its owner account; the recovery key is returned once and never stored."""
    settings = settings or Settings()
    accounts.check_username(owner)
    passphrase_rules.check(passphrase, settings)  # before any file is made
    directory = home.data_dir(settings, data_dir)
    url = home.database_url(settings, directory)
    if url.startswith("sqlite"):
        home.prepare(directory)
    try:
        vault, recovery = Vault.create(store.make_engine(url), passphrase, settings)
    except (InputError, sqlalchemy.exc.IntegrityError) as exc:  # the latter: a concurrent create won the row
        if isinstance(exc, sqlalchemy.exc.IntegrityError) or "already exists" in str(exc):
            where = directory if url.startswith("sqlite") else "the configured database"
            raise VaultExists(f"a vault already exists in {where}") from None
        raise
    with vault.transaction() as conn:
        account = accounts.create(vault, conn, owner, role, None, owner=True)
        vault.audit(conn, actor="system", action="account.create", target=account.id,
                    detail={"role": role.value, "owner": True})
        _signing(vault, conn, account)  # the owner's signing key, the root every account will trust
    return Created(Ctx(vault, account), recovery, directory)


def vault_exists(*, data_dir: str | Path | None = None, settings: Settings | None = None) -> bool:
    """Whether a vault has been created in the data directory or configured database (creates nothing)."""
    settings = settings or Settings()
    directory = home.data_dir(settings, data_dir)
    url = home.database_url(settings, directory)
    if url.startswith("sqlite") and not (directory / home.DB_FILENAME).is_file():
        return False
    engine = store.make_engine(url)
    try:
        return Vault.exists(engine)
    finally:
        engine.dispose()


def default_owner() -> str:
    """The owner account's name when none is given: the login name, if it is a valid account name."""
    name = (getpass.getuser() or "").lower()
    try:
        return accounts.check_username(name)
    except InputError:
        return "owner"


def passphrase_strength(passphrase: str, settings: Settings, *, context: tuple[str, ...] = ()
                        ) -> passphrase_rules.Strength:
    """The rule `init` applies (acceptable or why not) and a strength estimate to show while typing."""
    return passphrase_rules.assess(passphrase, settings, context=context)


def open_vault(*, passphrase: str | None = None, recovery_key: str | None = None,
               data_dir: str | Path | None = None, settings: Settings | None = None) -> Vault:
    settings = settings or Settings()
    directory = home.data_dir(settings, data_dir)
    url = home.database_url(settings, directory)
    if url.startswith("sqlite") and not (directory / home.DB_FILENAME).exists():
        raise NotFoundError(f"no vault in {directory}: run `sessionlens init` first")
    return Vault.open(store.make_engine(url), passphrase=passphrase, recovery_key=recovery_key, settings=settings)


def sign_in_owner(vault: Vault) -> Ctx:
    """The passphrase holder acts as the owner account."""
    with vault.transaction() as conn:
        account = accounts.owner(vault, conn)
        refused = _signing(vault, conn, account)
        if refused is None:
            vault.audit(conn, actor=account.username, action="login", target=account.id,
                        detail={"via": "passphrase"})
    if refused is not None:
        raise refused
    return Ctx(vault, account)


def _signing(vault: Vault, conn: Connection, account: accounts.Account) -> IntegrityError | None:
    """Per-account signing at sign-in (vault/signing_sign_in.py), audited; the refusal to raise once the
    audit entry is committed, if the account's own role does not verify."""
    try:
        done = signing_sign_in.at_sign_in(vault, conn, account.id)
    except IntegrityError as exc:
        vault.audit(conn, actor=account.username, action="login.failed", target=account.id,
                    detail={"reason": "role_signature"})
        return exc
    if done.key_created:
        vault.audit(conn, actor=account.username, action="account.signing_key_created", target=account.id)
    if done.roles_signed or done.shares_signed:
        vault.audit(conn, actor=account.username, action="signatures.made", target=account.id,
                    detail={"roles": done.roles_signed, "shares": done.shares_signed})
    return None


def login(vault: Vault, username: str, password: str) -> Ctx:
    """Password sign-in with lock-out; failures are audited and counted even though they raise."""
    failure: AuthError | IntegrityError | None = None
    with vault.transaction() as conn:
        try:
            account = accounts.authenticate(vault, conn, username, password)
        except (AuthError, NotFoundError) as exc:
            failure = exc if isinstance(exc, AuthError) else AuthError("wrong username or password")
            known = _account_id(vault, conn, username)
            vault.audit(conn, actor=known or "unknown", action="login.failed", target=known or "-",
                        detail={"reason": _reason(failure)})
        else:
            try:
                own_keys = vault.account_kek(account.id) is not None \
                    or tenancy.unlock_account_keys(vault, conn, account.id, password)  # (held: derived already)
            except AuthError:  # an admin reset the password: the keys still answer to the old one
                own_keys, failure = False, AuthError(
                    "this account's keys are still sealed under its previous password; the practice owner can "
                    "recover them with the vault recovery key (sessionlens account recover-keys)")
            if failure is None and share_keys.ensure_pair(vault, conn, account.id):  # an account made before pairs
                vault.audit(conn, actor=account.username, action="account.key_pair_created", target=account.id)
            if failure is None and (failure := _signing(vault, conn, account)) is not None:
                vault.drop_account_kek(account.id)  # refused (and audited): its keys leave memory
            elif failure is None or isinstance(failure, AuthError):
                vault.audit(conn, actor=account.username, action="login" if failure is None else "login.failed",
                            target=account.id, detail={"via": "password", "own_keys": own_keys}
                            if failure is None else {"reason": "keys_sealed"})
    if failure is not None:
        raise failure
    return Ctx(vault, account)


@contextmanager
def signed_in(passphrase: str, *, settings: Settings, data_dir: Path, user: str | None = None,
              password: Callable[[], str] | None = None) -> Iterator[Ctx]:
    """Unlock with the passphrase and sign in as the owner, or as ``user`` (``password()`` asked only then);
    the vault's keys are dropped when the block ends. The CLI's one way in."""
    vault = open_vault(passphrase=passphrase, data_dir=data_dir, settings=settings)
    try:
        ctx = sign_in_owner(vault)
        if user and user != ctx.actor.username:
            if password is None:
                raise InputError(f"a password is needed to act as {user}")
            ctx = login(vault, user, password())
        yield ctx
    finally:
        vault.close()


def exists(settings: Settings, data_dir: Path) -> bool:
    """Whether a vault can be there: a database server is configured, or the SQLite file exists."""
    url = home.database_url(settings, data_dir)
    return not url.startswith("sqlite") or (data_dir / home.DB_FILENAME).exists()


def _account_id(vault: Vault, conn: Connection, username: str) -> str | None:
    try:
        return accounts.get(vault, conn, username).id
    except (NotFoundError, InputError):
        return None


def _reason(exc: AuthError) -> str:
    text = str(exc)
    for word in ("locked", "disabled", "owner"):
        if word in text:
            return word
    return "bad_password"


def change_passphrase(ctx: Ctx, new_passphrase: str) -> dict[str, str]:
    """Rewrap the KEK under a new passphrase (fresh salt, current Argon2id cost); data stays as it is."""
    with unit_of_work(ctx) as conn:
        require(ctx, Action.VAULT_MANAGE)
        ctx.vault.audit(conn, actor=ctx.who, action="vault.passphrase_change_requested", target=ctx.vault.vault_id)
    ctx.vault.change_passphrase(new_passphrase)
    return {"vault": ctx.vault.vault_id, "changed": "passphrase"}
