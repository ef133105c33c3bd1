"""Account roles as the CLI and web name them (the vault defines them; this import stays light)."""

from __future__ import annotations

from ..vault.roles import Role

__all__ = ["Role"]
