"""What the server holds in memory: the unlocked vault (while anyone is signed in) and settings.

The vault's key lives only in this process. It is unlocked by the owner's passphrase at sign-in
and locked again (key dropped) when the last web session ends and no job is running.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import AuthError
from ..services import vaults
from ..services.context import Ctx
from ..vault import home, store, tenancy
from ..vault.vault import Vault
from .fairness import serialise_transactions
from .websessions import SessionStore


@dataclass
class WebState:
    settings: Settings
    data_dir: Path | None = None
    vault: Vault | None = None
    sessions: SessionStore = field(init=False)
    lock: threading.Lock = field(default_factory=threading.Lock)
    runner: Any = None  # the durable jobs.runner.JobRunner: Celery on a practice server, else in-process while open
    keyring: Any = None  # where workers find the keys of signed-in clinicians (services.keyring)
    _published: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.sessions = SessionStore(self.settings.web_idle_minutes * 60, self.settings.web_session_hours * 3600,
                                     on_empty=self.lock_if_idle)

    def sign_in(self, username: str, secret: str) -> Ctx:
        """Owner: passphrase (opens the vault, or proves it again). Others: password, vault already open."""
        if not secret:
            raise AuthError("enter your passphrase or password")
        with self.lock:
            if not username:
                return self._owner(secret)
            if self.vault is None:
                if not self.server_mode:
                    raise AuthError("the vault is locked: its owner signs in with the passphrase first")
                # Practice server: a clinician's own keys open their data; no passphrase needed.
                self.vault = tenancy.open_with_account(store.make_engine(self._url()), self.settings, username, secret)
                self._start_runner()
            ctx = vaults.login(self.vault, username, secret)
            self._publish(ctx)
        return ctx

    @property
    def server_mode(self) -> bool:
        return not self._url().startswith("sqlite")

    def _url(self) -> str:
        return home.database_url(self.settings, home.data_dir(self.settings, self.data_dir))

    @property
    def in_process(self) -> bool:
        """Durable jobs run on threads of this process, over the open vault's engine (job_runner != celery)."""
        return self.settings.job_runner != "celery"

    def _start_runner(self) -> None:
        """The vault just opened: durable jobs run in this process, with keys in a memory-only keyring."""
        if not self.in_process or self.vault is None or self.runner is not None:
            return
        from ..services.keyring import MemoryKeyring
        from ..jobs.runner import InProcessRunner

        self.keyring = MemoryKeyring()
        self.runner = InProcessRunner(self.vault.engine, self.settings, self.keyring)

    def _stop_runner(self) -> None:
        """Before the vault closes: the in-process runner stops and its keyring forgets every key."""
        if not self.in_process or self.runner is None:
            return
        self.runner.shutdown()
        self.runner = self.keyring = None
        self._published.clear()

    def _durable_owners(self) -> set[str]:
        """Owners of unfinished in-process jobs that can run now (their keys are held): the vault stays open."""
        if not self.in_process or self.runner is None or self.vault is None:
            return set()
        from ..vault import job_rows as R

        with store.transaction(self.vault.engine) as conn:
            owners = R.active_owners(conn)
        return {o for o in owners if self.keyring.get(o) is not None}

    def close(self) -> None:
        """The app stops: stop the runner, then drop the keys."""
        with self.lock:
            self._stop_runner()
            if self.vault is not None:
                self.vault.close()
                self.vault = None

    def _publish(self, ctx: Ctx) -> None:
        """Hand the signed-in account's keys to the workers' keyring for as long as they stay signed in."""
        if self.keyring is not None and self.vault is not None:
            from ..services.keyring import hold_keys

            if hold_keys(self.vault, ctx.actor.id, self.keyring, "web", self.settings.web_session_hours * 3600):
                self._published.add(ctx.actor.id)

    def _owner(self, passphrase: str) -> Ctx:
        opened = vaults.open_vault(passphrase=passphrase, data_dir=self.data_dir, settings=self.settings)
        if self.vault is None:
            serialise_transactions(opened.engine)
            self.vault = opened
            self._start_runner()
        else:
            if not self.vault.has_vault_kek:  # opened by a clinician's own keys: hold the vault KEK too
                self.vault.adopt_kek(opened.kek)
            opened.close()  # the passphrase is right; keep the vault already open
        ctx = vaults.sign_in_owner(self.vault)
        self._publish(ctx)
        return ctx

    def lock_if_idle(self) -> None:
        with self.lock:
            if self.vault is None:
                return
            present = self.sessions.account_ids()
            for account in set(self._published) - present:  # the workers lose the keys of who left
                self.keyring.release(account, "web")
                self._published.discard(account)
            present |= self._durable_owners()  # a job they approved still holds their keys and runs here
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
