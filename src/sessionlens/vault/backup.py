"""Encrypted backups and verified restores.

A backup is a logical dump of every table (canonical JSON, so SQLite and PostgreSQL produce the
same bytes), sealed as one chunked AEAD stream under a key derived from the KEK and a fresh
salt. The file::

    b"SLBACKUP1\\n" | header length (4 bytes) | header JSON | stream envelope

The header carries what unlocking needs (Argon2id salt and cost, the wrapped KEKs — all of it
already ciphertext or public parameters) and is bound into the stream's associated data.
Restoring needs the passphrase that was current when the backup was made (or the recovery key), and
re-applies every shred the vault's audit anchor lists (the header names where the anchor lived).
The backup is read back and compared with the dump before it counts as written; a restore is
compared with the backup's dump, byte for byte, before it commits.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from typing import Any, cast

from sqlalchemy import Connection, Engine, insert, select

from ..errors import InputError, IntegrityError
from ..payloads.vault_backup import BackupHeader
from . import crypto, keys, store
from .models import TABLES, vault_meta

MAGIC = b"SLBACKUP1\n"
FORMAT = 1


def _encode(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):
        return {"b64": base64.b64encode(bytes(value)).decode()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        return base64.b64decode(value["b64"])
    return value


def dump(conn: Connection) -> bytes:
    """Every row of every table, in primary-key order, as canonical JSON."""
    tables = {}
    for table in TABLES:
        order = list(table.primary_key.columns)
        rows = conn.execute(select(table).order_by(*order)).all()
        tables[table.name] = [{k: _encode(v) for k, v in r._mapping.items()} for r in rows]
    return json.dumps({"format": FORMAT, "tables": tables}, sort_keys=True, separators=(",", ":")).encode()


def load(conn: Connection, data: bytes) -> None:
    doc = json.loads(data)
    for table in TABLES:
        rows = [{k: _decode(v) for k, v in r.items()} for r in doc["tables"].get(table.name, [])]
        if rows:
            conn.execute(insert(table), rows)


def _header(conn: Connection, backup_salt: bytes, created_at: str, anchor_dir: str | None) -> BackupHeader:
    m = conn.execute(select(vault_meta).where(vault_meta.c.id == 1)).one()
    def b64(b: bytes) -> str:
        return base64.b64encode(b).decode()

    # anchor_dir: where this vault's audit anchor (and its shred list) lived, for restore to find it again.
    return {"format": FORMAT, "vault_id": m.vault_id, "created_at": created_at, "anchor_dir": anchor_dir,
            "kdf": {"memory_kib": m.kdf_memory_kib, "time_cost": m.kdf_time_cost, "parallelism": m.kdf_parallelism},
            "kdf_salt": b64(m.kdf_salt), "kek_by_passphrase": b64(m.kek_by_passphrase),
            "kek_by_recovery": b64(m.kek_by_recovery), "backup_salt": b64(backup_salt)}


def _aad(header_bytes: bytes) -> dict[str, str]:
    return {"header": hashlib.sha256(header_bytes).hexdigest()}


def seal_backup(conn: Connection, kek: bytes, created_at: str, anchor_dir: str | None = None) -> tuple[bytes, bytes]:
    """Return (file bytes, plaintext dump)."""
    salt = os.urandom(16)
    header = _header(conn, salt, created_at, anchor_dir)
    header_bytes = json.dumps(header, sort_keys=True).encode()
    plain = dump(conn)
    sealed = crypto.seal_stream(keys.subkey(kek + salt, "sessionlens-backup-v1"), plain, key_id="backup",
                                key_version=1, record_id=f"backup:{header['vault_id']}", extra=_aad(header_bytes))
    return MAGIC + len(header_bytes).to_bytes(4, "big") + header_bytes + sealed, plain


def read_header(data: bytes) -> tuple[BackupHeader, bytes, bytes]:
    """Split a backup file into (header, header bytes, sealed body); InputError if it is not one."""
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 4:
        raise InputError("not a sessionlens backup file")
    n = int.from_bytes(data[len(MAGIC) : len(MAGIC) + 4], "big")
    header_bytes = data[len(MAGIC) + 4 : len(MAGIC) + 4 + n]
    try:
        header = json.loads(header_bytes)
        header["vault_id"], header["kdf"]["memory_kib"]  # noqa: B018 - presence check
    except (ValueError, KeyError, TypeError):
        raise IntegrityError("record backup header is damaged") from None
    return cast(BackupHeader, header), header_bytes, data[len(MAGIC) + 4 + n :]  # parsed JSON, checked above


def unlock_header(header: BackupHeader, *, passphrase: str | None, recovery_key: str | None) -> bytes:
    """The KEK from a backup header (AuthError on a wrong secret)."""
    vid = header["vault_id"]
    if recovery_key is not None:
        return keys.unwrap_kek(keys.recovery_key_bytes(recovery_key), base64.b64decode(header["kek_by_recovery"]),
                               vault_id=vid, via="recovery")
    k = header["kdf"]
    params = keys.KdfParams(k["memory_kib"], k["time_cost"], k["parallelism"])
    pkey = keys.derive_passphrase_key(passphrase or "", base64.b64decode(header["kdf_salt"]), params)
    return keys.unwrap_kek(pkey, base64.b64decode(header["kek_by_passphrase"]), vault_id=vid, via="passphrase")


def open_backup(data: bytes, kek: bytes) -> bytes:
    header, header_bytes, body = read_header(data)
    key = keys.subkey(kek + base64.b64decode(header["backup_salt"]), "sessionlens-backup-v1")
    return crypto.open_stream(key, body, key_id="backup", key_version=1, record_id=f"backup:{header['vault_id']}",
                              extra=_aad(header_bytes))


def restore_into(engine: Engine, plain: bytes) -> None:
    """Load a dump into an empty database; commit only if it reads back byte for byte."""
    if store.has_schema(engine):
        with engine.connect() as conn:
            if conn.execute(select(vault_meta.c.id)).first():
                raise InputError("the restore target already holds a vault; restore into an empty place")
    store.migrate(engine)
    with store.transaction(engine) as conn:
        load(conn, plain)
        if dump(conn) != plain:
            raise IntegrityError("record restore does not read back byte for byte; nothing was restored")
