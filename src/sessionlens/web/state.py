"""What the web server holds in memory: its settings, the browser sessions, and the vault keeper.

Opening the vault, lending keys to job workers and dropping them again are decided in
``services.vault_keeper``; this module only tells it who is signed in (the browser sessions) and
gives it the web's pieces: the in-process job runner and the per-engine transaction fairness.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Settings
from ..services.context import Ctx
from ..services.vault_keeper import VaultKeeper
from .fairness import serialise_transactions
from .websessions import SessionStore, WebSession


def _in_process_runner(engine: Any, settings: Settings, keyring: Any) -> Any:
    from ..jobs.runner import InProcessRunner

    return InProcessRunner(engine, settings, keyring)


@dataclass
class WebState:
    settings: Settings
    data_dir: Path | None = None
    keeper: VaultKeeper = field(init=False)
    sessions: SessionStore = field(init=False)

    def __post_init__(self) -> None:
        self.keeper = VaultKeeper(self.settings, self.data_dir, runner_factory=_in_process_runner,
                                  on_open=serialise_transactions)
        self.sessions = SessionStore(self.settings.web_idle_minutes * 60, self.settings.web_session_hours * 3600,
                                     on_empty=self.lock_if_idle)

    # The keeper's state, as the routes read it.
    @property
    def vault(self) -> Any:
        return self.keeper.vault

    @property
    def runner(self) -> Any:  # the durable jobs runner: Celery on a practice server, else in-process while open
        return self.keeper.runner

    @runner.setter
    def runner(self, value: Any) -> None:
        self.keeper.runner = value

    @property
    def keyring(self) -> Any:  # where workers find the keys of signed-in clinicians (services.keyring)
        return self.keeper.keyring

    @keyring.setter
    def keyring(self, value: Any) -> None:
        self.keeper.keyring = value

    @property
    def server_mode(self) -> bool:
        return self.keeper.server_mode

    def sign_in(self, username: str, secret: str, source: str = "-") -> Ctx:
        """Throttled per ``source`` (the client's address) and per account before any key derivation."""
        return self.keeper.sign_in(username, secret, ttl=self.settings.web_session_hours * 3600, source=source)

    def open_session(self, ctx: Ctx) -> tuple[str, WebSession]:
        """The browser session of a sign-in (a new token), stamped with the account's standing."""
        token, session = self.sessions.create(ctx, self.standing(ctx))
        self.keeper.settled(ctx.actor.id)
        return token, session

    def standing(self, ctx: Ctx) -> str | None:
        """The account's current role/disabled/password fingerprint (None: it may not act at all)."""
        from ..services.accounts import standing

        vault = self.keeper.vault
        return standing(vault, ctx.actor.id) if vault is not None else None

    def still_current(self, session: WebSession) -> bool:
        """Re-checked on every request: the account is as it was when this session signed in."""
        return session.standing is not None and self.standing(session.ctx) == session.standing

    def lock_if_idle(self) -> None:
        self.keeper.lock_if_idle(self.sessions.account_ids())

    def close(self) -> None:
        """The app stops: stop the runner, then drop the keys."""
        self.keeper.close()
