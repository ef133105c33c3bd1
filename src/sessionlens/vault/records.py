"""Sealed JSON rows (clients, consents, sessions): the payload under the client's key, the row bound in.

The associated data holds the table name and the row's plaintext columns, so editing any of
them — or moving the ciphertext to another row — makes the record fail authentication with an
IntegrityError naming its id.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Row

from . import crypto
from .vault import Vault

# Plaintext columns bound into each table's associated data.
BOUND = {"clients": ("owner_id", "created_at"), "consents": ("client_id", "created_at"),
         "sessions": ("client_id", "created_at")}


def _aad(table: str, row: Mapping[str, Any]) -> dict[str, Any]:
    return {"table": table, **{k: row[k] for k in BOUND[table]}}


def seal_row(vault: Vault, conn: Connection, table: str, row: Mapping[str, Any], payload: Mapping[str, Any]) -> bytes:
    """Encrypt ``payload`` for ``row`` (which must hold id, key_id, key_version and the bound columns)."""
    key = vault.client_key(conn, row["key_id"], row["key_version"])
    data = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return crypto.seal(key, data, key_id=row["key_id"], key_version=row["key_version"], record_id=row["id"],
                       extra=_aad(table, row))


def open_row(vault: Vault, conn: Connection, table: str, row: Row) -> dict[str, Any]:
    m = row._mapping
    key = vault.client_key(conn, m["key_id"], m["key_version"])
    data = crypto.open_sealed(key, m["sealed"], key_id=m["key_id"], key_version=m["key_version"],
                              record_id=m["id"], extra=_aad(table, m))
    return json.loads(data)
