"""Who holds the vault open, and for how long its keys stay in memory (the web app's key lifetimes).

The vault's key lives only in this process. It is unlocked by the owner's passphrase at sign-in (on a
practice server, a clinician's own password opens their keys) and locked again — keys dropped — when
the last signed-in account leaves and no approved job of theirs is still running here. While someone is
signed in, their keys are also lent to the job workers' keyring (``services.keyring``).

The web layer only reports who is present (:meth:`VaultKeeper.lock_if_idle`); every decision about
opening, adopting and dropping keys is taken here.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from ..config import Settings
from ..errors import AuthError, NotFoundError
from ..logs import event
from ..vault import home, job_rows, store, tenancy
from ..vault.vault import Vault
from . import vaults
from .context import Ctx
from .keyring import Keyring, MemoryKeyring, hold_keys, route_waiting
from .signin_guard import SIGN_IN_FAILED, SignInGuard, ThrottledError, record, record_refusal

# Builds the in-process job runner over an engine (given by the web app: services never import jobs).
FRESH_SECONDS = 30.0  # a sign-in counts as present this long, until its web session is made

RunnerFactory = Callable[[Engine, Settings, Keyring], Any]


class VaultKeeper:
    def __init__(self, settings: Settings, data_dir: Path | None, *, runner_factory: RunnerFactory | None = None,
                 on_open: Callable[[Engine], None] | None = None) -> None:
        self.settings, self.data_dir = settings, data_dir
        self.vault: Vault | None = None
        self.lock = threading.Lock()
        self.runner: Any = None  # Celery on a practice server (set by the app), else in-process while open
        self.keyring: Any = None
        self._runner_factory, self._on_open = runner_factory, on_open
        self._published: set[str] = set()
        self._resumed_for: set[str] = set()  # accounts whose cut-off jobs this runner has taken up again
        self.resumed: list[str] = []  # job ids taken up again since the vault opened (shown in logs and tests)
        self._signing_in = 0  # sign-ins deriving keys right now (outside the lock)
        self._fresh: dict[str, float] = {}  # account id -> when it signed in (its session is being made)
        # Failure times survive a restart in the data directory (keyed hashes only; signin_guard).
        self.guard = SignInGuard.from_settings(settings, home.data_dir(settings, data_dir))

    @property
    def server_mode(self) -> bool:
        return not self.database_url().startswith("sqlite")

    @property
    def in_process(self) -> bool:
        """Durable jobs run on threads of this process, over the open vault's engine (job_runner != celery)."""
        return bool(self.settings.job_runner != "celery")

    def database_url(self) -> str:
        return home.database_url(self.settings, home.data_dir(self.settings, self.data_dir))

    def sign_in(self, username: str, secret: str, ttl: int, *, source: str = "-") -> Ctx:
        """Owner: passphrase (opens the vault, or proves it again). Others: password.

        Throttled per source and per account name before any key derivation; the derivations run
        outside :attr:`lock`, so a slow or hostile client stalls nobody else. Every failure answers with
        the same text and is audited (kept in memory until the vault opens when it is closed)."""
        if not secret:
            raise AuthError(SIGN_IN_FAILED)
        try:
            self.guard.check(source, username)
        except ThrottledError:
            record_refusal(self.vault, self.guard, source)  # aggregated: one entry per source per window
            raise
        try:
            ctx = self._sign_in(username, secret)
        except (AuthError, NotFoundError) as exc:
            if isinstance(exc, NotFoundError) and self.vault is None and not username:
                raise  # no vault here yet: the sign-in page sends people to set-up
            failure = self.guard.failed(source, username, "bad_password" if username else "bad_passphrase")
            if not getattr(exc, "audited", False):
                record(self.vault, self.guard, failure)
            event("signin.failed", logging.WARNING, source=source)
            raise AuthError(SIGN_IN_FAILED) from None
        self.guard.succeeded(username)
        with self.lock:
            self._fresh[ctx.actor.id] = time.monotonic()  # present until its web session exists
            self._publish(ctx, ttl)
            self._resume(ctx)
        return ctx

    def settled(self, account_id: str) -> None:
        """The signed-in account's web session exists now: it counts as present through that."""
        with self.lock:
            self._fresh.pop(account_id, None)

    def _sign_in(self, username: str, secret: str) -> Ctx:
        with self._in_flight():
            if not username:
                return self._owner(secret)
            vault = self.vault
            if vault is None:
                if not self.server_mode:
                    raise AuthError("the vault is locked: its owner signs in with the passphrase first")
                # Practice server: a clinician's own keys open their data; no passphrase needed.
                engine = store.make_engine(self.database_url())
                try:
                    opened = tenancy.open_with_account(engine, self.settings, username, secret)
                except BaseException:
                    engine.dispose()
                    raise
                vault = self._install(opened)
            try:
                return vaults.login(vault, username, secret)
            except AuthError as exc:
                exc.audited = True  # type: ignore[attr-defined]  # vaults.login wrote login.failed itself
                raise

    @contextmanager
    def _in_flight(self) -> Iterator[None]:
        """A sign-in is deriving keys outside the lock: the vault it may use must not close under it."""
        with self.lock:
            self._signing_in += 1
        try:
            yield
        finally:
            with self.lock:
                self._signing_in -= 1

    def _install(self, opened: Vault) -> Vault:
        """Make ``opened`` the open vault, or (another sign-in won the race) move its keys into the open one."""
        with self.lock:
            if self.vault is None:
                if self._on_open is not None:
                    self._on_open(opened.engine)
                self.vault = opened
                self._start_runner()
                try:
                    self.guard.flush(opened)  # failures seen while it was closed enter its audit trail now
                except Exception as exc:  # noqa: BLE001 - they stay kept for the next opening
                    event("signin.audit_deferred", logging.WARNING, error=type(exc).__name__)
                return opened
            if opened.has_vault_kek and not self.vault.has_vault_kek:
                self.vault.adopt_kek(opened.kek)
            for account in opened.held_accounts():
                self.vault.hold_account_kek(account, opened.account_kek(account))  # type: ignore[arg-type]  # held_accounts() lists only accounts whose KEK is held
            opened.close()
            return self.vault

    def _owner(self, passphrase: str) -> Ctx:
        opened = vaults.open_vault(passphrase=passphrase, data_dir=self.data_dir, settings=self.settings)
        return vaults.sign_in_owner(self._install(opened))

    def _start_runner(self) -> None:
        """The vault just opened: durable jobs run in this process, with keys in a memory-only keyring."""
        if not self.in_process or self.vault is None or self.runner is not None or self._runner_factory is None:
            return
        self.keyring = MemoryKeyring()
        self.runner = self._runner_factory(self.vault.engine, self.settings, self.keyring)

    def _stop_runner(self) -> None:
        """Before the vault closes: the in-process runner stops and its keyring forgets every key."""
        if not self.in_process or self.runner is None:
            return
        self.runner.shutdown()
        self.runner = self.keyring = None
        self._published.clear()
        self._resumed_for.clear()

    def _resume(self, ctx: Ctx) -> None:
        """The vault has just opened for this account: jobs it approved that a stop cut off (a laptop shut down,
        a server process killed) run again, holding its keys as at submission, from their last checkpoint.
        A job still leased by a live worker elsewhere is only waited for (the lease decides who runs it)."""
        if self.runner is None or self.keyring is None or self.vault is None or ctx.actor.id in self._resumed_for:
            return
        from .server_jobs import JOB_KEYS_TTL, job_holder

        self._resumed_for.add(ctx.actor.id)
        with store.transaction(self.vault.engine) as conn:
            cut = [j.id for j in job_rows.for_owner(conn, ctx.actor.id, 1000) if j.state in job_rows.ACTIVE]
        for job_id in reversed(cut):  # oldest first
            hold_keys(self.vault, ctx.actor.id, self.keyring, job_holder(job_id), JOB_KEYS_TTL)
            self.runner.dispatch(job_id)
            self.resumed.append(job_id)
            event("job.resumed", job=job_id)

    def _publish(self, ctx: Ctx, ttl: int) -> None:
        """Lend the signed-in account's keys to the workers' keyring for as long as they stay signed in."""
        if self.keyring is not None and self.vault is not None:
            if hold_keys(self.vault, ctx.actor.id, self.keyring, "web", ttl):
                self._published.add(ctx.actor.id)

    def _durable_owners(self) -> set[str]:
        """Owners of unfinished in-process jobs that can run now (their keys are held): the vault stays open."""
        if not self.in_process or self.runner is None or self.vault is None:
            return set()
        with store.transaction(self.vault.engine) as conn:
            owners = job_rows.active_owners(conn)
        return {o for o in owners if self.keyring.get(o) is not None}

    def lock_if_idle(self, present: set[str]) -> None:
        """``present``: accounts with a live sign-in. Everyone else's keys leave memory."""
        with self.lock:
            if self.vault is None:
                return
            for account in set(self._published) - present:  # the workers lose the keys of who left
                self.keyring.release(account, "web")
                self._published.discard(account)
            for account in set(self._published) & present:  # jobs that waited for a worker to start
                try:
                    route_waiting(self.vault, account, self.keyring)
                except Exception as exc:  # noqa: BLE001 - Redis or the database briefly away: the next sweep
                    event("job.route_waiting_failed", logging.WARNING, error=type(exc).__name__)
            present = present | self._durable_owners()  # a job they approved still holds their keys
            if self._signing_in:
                return  # a sign-in is deriving keys: decide once it has finished
            now = time.monotonic()
            self._fresh = {a: t for a, t in self._fresh.items() if now - t < FRESH_SECONDS}
            present = present | set(self._fresh)
            for account in self.vault.held_accounts():
                if account not in present:  # a clinician's own KEK leaves memory with their last session
                    self.vault.drop_account_kek(account)
            keyless = present - set(self.vault.held_accounts())
            if self.server_mode and self.vault.has_vault_kek and not keyless and present:
                self.vault.drop_vault_kek()  # only clinicians with their own keys remain
            if not present:
                self._stop_runner()
                self.vault.close()
                self.vault = None

    def close(self) -> None:
        """The app stops: stop the runner, then drop the keys."""
        with self.lock:
            self._stop_runner()
            if self.vault is not None:
                self.vault.close()
                self.vault = None

    def database_ready(self) -> bool:
        """The database answers and holds a vault's schema (readiness; opens nothing when locked)."""
        if self.vault is not None:
            return bool(store.has_schema(self.vault.engine))
        engine = store.make_engine(self.database_url())
        try:
            return bool(store.has_schema(engine))
        finally:
            engine.dispose()
