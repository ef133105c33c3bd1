"""Sealed JSON records — the one place a record is sealed: the payload under a key, its identity bound in.

:func:`seal_json` / :func:`open_json` are the primitive every sealed record uses (reflections,
voiceprints, supervision packet files, and the table rows below). For table rows (clients, consents,
sessions) the associated data holds the table name and the row's plaintext columns, so editing any
of them — or moving the ciphertext to another row — makes the record fail authentication with an
IntegrityError naming its id.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Row

from . import crypto, keys
from .vault import Vault

# Plaintext columns bound into each table's associated data.
BOUND = {"clients": ("owner_id", "created_at"), "consents": ("client_id", "created_at"),
         "sessions": ("client_id", "created_at")}


def _aad(table: str, row: Mapping[Any, Any]) -> dict[str, str]:  # a dict or a RowMapping
    return {"table": table, **{k: row[k] for k in BOUND[table]}}


def seal_bytes(key: bytes, data: bytes, *, key_id: str, key_version: int, record_id: str,
               aad: Mapping[str, Any] | None = None) -> bytes:
    """AES-GCM over raw bytes, bound to the key id and version, the record id and ``aad``."""
    return crypto.seal(key, data, key_id=key_id, key_version=key_version, record_id=record_id,
                       extra=dict(aad) if aad else None)


def open_bytes(key: bytes, sealed: bytes, *, key_id: str, key_version: int, record_id: str,
               aad: Mapping[str, Any] | None = None) -> bytes:
    return crypto.open_sealed(key, sealed, key_id=key_id, key_version=key_version, record_id=record_id,
                              extra=dict(aad) if aad else None)


def seal_json(key: bytes, payload: Mapping[str, Any], *, key_id: str, key_version: int, record_id: str,
              aad: Mapping[str, Any]) -> bytes:
    """AES-GCM over the payload's JSON, bound to the key id and version, the record id and ``aad``."""
    data = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return seal_bytes(key, data, key_id=key_id, key_version=key_version, record_id=record_id, aad=aad)


def open_json(key: bytes, sealed: bytes, *, key_id: str, key_version: int, record_id: str,
              aad: Mapping[str, Any]) -> Any:
    """The payload; IntegrityError if any byte, the key or any bound value differs."""
    return json.loads(open_bytes(key, sealed, key_id=key_id, key_version=key_version, record_id=record_id, aad=aad))


def derived_key(key: bytes, label: str) -> bytes:
    """A key for one purpose, derived from a data key or the vault key (HKDF; see keys.subkey)."""
    return keys.subkey(key, label)


def seal_row(vault: Vault, conn: Connection, table: str, row: Mapping[Any, Any], payload: Mapping[str, Any]) -> bytes:
    """Encrypt ``payload`` for ``row`` (which must hold id, key_id, key_version and the bound columns)."""
    key = vault.client_key(conn, row["key_id"], row["key_version"])
    return seal_json(key, payload, key_id=row["key_id"], key_version=row["key_version"], record_id=row["id"],
                     aad=_aad(table, row))


def open_row(vault: Vault, conn: Connection, table: str, row: Row[*tuple[Any, ...]]) -> dict[str, Any]:  # raw JSON in:
    # a sealed row's payload; each table's owner casts it to its own shape
    m = row._mapping
    key = vault.client_key(conn, m["key_id"], m["key_version"])
    opened = open_json(key, m["sealed"], key_id=m["key_id"], key_version=m["key_version"], record_id=m["id"],
                       aad=_aad(table, m))
    assert isinstance(opened, dict)  # every sealed row payload is a JSON object (seal_row takes a mapping)
    return opened
