"""What the server holds in memory: the unlocked vault (while anyone is signed in) and settings.

The vault's key lives only in this process. It is unlocked by the owner's passphrase at sign-in
and locked again (key dropped) when the last web session ends and no job is running.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings
from ..errors import AuthError
from ..services import vaults
from ..services.context import Ctx
from ..vault.vault import Vault
from .fairness import serialise_transactions
from .jobs import Jobs
from .websessions import SessionStore


@dataclass
class WebState:
    settings: Settings
    data_dir: Path | None = None
    vault: Vault | None = None
    sessions: SessionStore = field(init=False)
    jobs: Jobs = field(default_factory=Jobs)
    lock: threading.Lock = field(default_factory=threading.Lock)

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
                raise AuthError("the vault is locked: its owner signs in with the passphrase first")
            ctx = vaults.login(self.vault, username, secret)
        return ctx

    def _owner(self, passphrase: str) -> Ctx:
        opened = vaults.open_vault(passphrase=passphrase, data_dir=self.data_dir, settings=self.settings)
        if self.vault is None:
            serialise_transactions(opened.engine)
            self.vault = opened
        else:
            opened.close()  # the passphrase is right; keep the vault already open
        return vaults.sign_in_owner(self.vault)

    def lock_if_idle(self) -> None:
        with self.lock:
            if self.vault is not None and not self.sessions.count() and not self.jobs.busy():
                self.vault.close()
                self.vault = None
