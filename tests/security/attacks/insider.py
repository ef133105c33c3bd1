"""What an insider with database write and the row-MAC key does in several attack tests, written once."""

from __future__ import annotations

from sqlalchemy import insert

from sessionlens.vault import accounts as vault_accounts
from sessionlens.vault import store
from sessionlens.vault.ids import new_id, now_iso
from sessionlens.vault.models import accounts
from sessionlens.vault.vault import Vault


def insert_admin(vault: Vault, username: str = "mallory") -> str:
    """Insert an admin account row with a valid row MAC (no signature); returns its id."""
    values = {"id": new_id("account"), "username": username, "role": "admin", "is_owner": 0,
              "password_hash": vault_accounts.hash_password(f"{username}-password-1", vault.settings),
              "disabled": 0, "failed_attempts": 0, "locked_until": None, "created_at": now_iso()}
    with store.transaction(vault.engine) as conn:
        conn.execute(insert(accounts).values(**values, mac=vault.row_mac(
            "accounts", values["id"], vault_accounts._fields(values))))
    return str(values["id"])
