"""Who is acting, on which open vault — the first argument of every use case."""

from __future__ import annotations

from dataclasses import dataclass

from ..vault.accounts import Account
from ..vault.roles import Role
from ..vault.vault import Vault


@dataclass(frozen=True, slots=True)
class Ctx:
    vault: Vault
    actor: Account

    @property
    def role(self) -> Role:
        return self.actor.role

    @property
    def who(self) -> str:
        return self.actor.username
