"""Who holds the vault open, and for how long its keys stay in memory (the web app's key lifetimes).

The vault's key lives only in this process. It is unlocked by the owner's passphrase at sign-in (on a
practice server, a clinician's own password opens their keys) and locked again — keys dropped — when
the last signed-in account leaves and no approved job of theirs is still running here. While someone is
signed in, their keys are also lent to the job workers' keyring (``services.keyring``).

The web layer only reports who is present (:meth:`VaultKeeper.lock_if_idle`); every decision about
opening, adopting and dropping keys is taken here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from ..config import Settings
from ..errors import AuthError
from ..vault import home, job_rows, store, tenancy
from ..vault.vault import Vault
from . import vaults
from .context import Ctx
from .keyring import Keyring, MemoryKeyring, hold_keys

# Builds the in-process job runner over an engine (given by the web app: services never import jobs).
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

    @property
    def server_mode(self) -> bool:
        return not self.database_url().startswith("sqlite")

    @property
    def in_process(self) -> bool:
        """Durable jobs run on threads of this process, over the open vault's engine (job_runner != celery)."""
        return self.settings.job_runner != "celery"

    def database_url(self) -> str:
        return home.database_url(self.settings, home.data_dir(self.settings, self.data_dir))

    def sign_in(self, username: str, secret: str, ttl: int) -> Ctx:
        """Owner: passphrase (opens the vault, or proves it again). Others: password, vault already open."""
        if not secret:
            raise AuthError("enter your passphrase or password")
        with self.lock:
            if not username:
                ctx = self._owner(secret)
            else:
                if self.vault is None:
                    if not self.server_mode:
                        raise AuthError("the vault is locked: its owner signs in with the passphrase first")
                    # Practice server: a clinician's own keys open their data; no passphrase needed.
                    self.vault = tenancy.open_with_account(store.make_engine(self.database_url()), self.settings,
                                                           username, secret)
                    self._start_runner()
                ctx = vaults.login(self.vault, username, secret)
            self._publish(ctx, ttl)
        return ctx

    def _owner(self, passphrase: str) -> Ctx:
        opened = vaults.open_vault(passphrase=passphrase, data_dir=self.data_dir, settings=self.settings)
        if self.vault is None:
            if self._on_open is not None:
                self._on_open(opened.engine)
            self.vault = opened
            self._start_runner()
        else:
            if not self.vault.has_vault_kek:  # opened by a clinician's own keys: hold the vault KEK too
                self.vault.adopt_kek(opened.kek)
            opened.close()  # the passphrase is right; keep the vault already open
        return vaults.sign_in_owner(self.vault)

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
            present = present | self._durable_owners()  # a job they approved still holds their keys
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
