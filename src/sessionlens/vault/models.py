"""The vault schema (SQLAlchemy Core). Alembic migrations create exactly this; a test compares them.

Conventions: ids are pseudonymous strings (``c-…`` client, ``s-…`` session, ``b-…`` blob);
timestamps are ISO-8601 UTC strings so SQLite and PostgreSQL store identical bytes; every
PHI value lives in a ``sealed``/``content`` column encrypted under the owning client's key,
with the row's other columns bound into the associated data. Rows without PHI (accounts,
shares) carry an HMAC under a key derived from the KEK instead.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Table, Text

metadata = MetaData()


def _sealed() -> tuple[Column[object], ...]:
    """The tail of every row sealed under a client's key: which key (and version) sealed it, when, and the
    ciphertext. Fresh columns each call: a Column belongs to one table."""
    return (
        Column("key_id", String(32), nullable=False),
        Column("key_version", Integer, nullable=False),
        Column("created_at", String(32), nullable=False),
        Column("sealed", LargeBinary, nullable=False),
    )


def _client_record(name: str) -> Table:
    """A sealed record that belongs to one client (its consent, its sessions)."""
    return Table(
        name,
        metadata,
        Column("id", String(32), primary_key=True),
        Column("client_id", String(32), ForeignKey("clients.id"), nullable=False, index=True),
        *_sealed(),
    )


vault_meta = Table(
    "vault_meta",
    metadata,
    Column("id", Integer, primary_key=True),  # always 1
    Column("vault_id", String(32), nullable=False),
    Column("format", Integer, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("kdf_memory_kib", Integer, nullable=False),
    Column("kdf_time_cost", Integer, nullable=False),
    Column("kdf_parallelism", Integer, nullable=False),
    Column("kdf_salt", LargeBinary, nullable=False),
    Column("kek_by_passphrase", LargeBinary, nullable=False),
    Column("kek_by_recovery", LargeBinary, nullable=False),
)

accounts = Table(
    "accounts",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("is_owner", Integer, nullable=False, default=0),
    Column("password_hash", String(256), nullable=True),  # NULL: the owner, who authenticates with the passphrase
    Column("disabled", Integer, nullable=False, default=0),
    Column("failed_attempts", Integer, nullable=False, default=0),
    Column("locked_until", String(32), nullable=True),
    Column("created_at", String(32), nullable=False),
    Column("mac", String(64), nullable=False),
    # Who set the role (migration 0050): an Ed25519 signature by that admin or owner over role, disabled and
    # owner status and the subject's own signing key (its fingerprint in role_key); see vault/signing.py.
    Column("role_sig", LargeBinary, nullable=True),
    Column("role_signer", String(32), nullable=True),
    Column("role_key", String(64), nullable=True),
)

# Per-account key hierarchy (practice server): the account's own KEK, wrapped by a key derived from
# its password and sealed to the vault's escrow key (opened only with the vault recovery key).
account_keys = Table(
    "account_keys",
    metadata,
    Column("account_id", String(32), ForeignKey("accounts.id"), primary_key=True),
    Column("created_at", String(32), nullable=False),
    Column("kdf_memory_kib", Integer, nullable=False),
    Column("kdf_time_cost", Integer, nullable=False),
    Column("kdf_parallelism", Integer, nullable=False),
    Column("kdf_salt", LargeBinary, nullable=False),
    Column("kek_by_password", LargeBinary, nullable=False),
    Column("kek_by_escrow", LargeBinary, nullable=True),
    Column("integrity", LargeBinary, nullable=False),  # the audit and row MAC keys, sealed under the account KEK
    Column("public_key", LargeBinary, nullable=True),  # X25519: shares are sealed to it (pinned in the anchor)
    Column("private_sealed", LargeBinary, nullable=True),  # its private half, sealed under the account KEK
)

# Each account's Ed25519 signing key (migration 0050): the private half, with the owner key the account trusts,
# sealed under the account KEK (the owner's under the vault KEK); the public half pinned by the anchor.
signing_keys = Table(
    "signing_keys",
    metadata,
    Column("account_id", String(32), ForeignKey("accounts.id"), primary_key=True),
    Column("public_key", LargeBinary, nullable=False),
    Column("private_sealed", LargeBinary, nullable=False),
    Column("created_at", String(32), nullable=False),
)

key_escrow = Table(
    "key_escrow",
    metadata,
    Column("id", Integer, primary_key=True),  # always 1
    Column("public_key", LargeBinary, nullable=False),  # X25519
    Column("private_by_recovery", LargeBinary, nullable=False),
    Column("mac", String(64), nullable=False),
)

client_keys = Table(
    "client_keys",
    metadata,
    Column("key_id", String(32), primary_key=True),
    Column("client_id", String(32), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("wrapped", LargeBinary, nullable=False),
    Column("wrapped_by", String(32), nullable=True),  # NULL: the vault KEK; else the account whose KEK wraps it
)

clients = Table(
    "clients",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("owner_id", String(32), ForeignKey("accounts.id"), nullable=False, index=True),
    *_sealed(),
)

consents = _client_record("consents")

sessions = _client_record("sessions")

blobs = Table(
    "blobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("client_id", String(32), ForeignKey("clients.id"), nullable=False, index=True),
    Column("session_id", String(32), ForeignKey("sessions.id"), nullable=True, index=True),
    Column("kind", String(32), nullable=False),
    Column("key_id", String(32), nullable=False),
    Column("key_version", Integer, nullable=False),
    Column("size", Integer, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("content", LargeBinary, nullable=False),
)

# The sealed chunks of a blob (vault/chunks.py): read by range, written as the bytes arrive.
blob_chunks = Table(
    "blob_chunks",
    metadata,
    Column("blob_id", String(32), ForeignKey("blobs.id", ondelete="CASCADE"), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("start", BigInteger, nullable=False),  # plaintext offset of the chunk's first byte (authenticated)
    Column("content", LargeBinary, nullable=False),
)

shares = Table(
    "shares",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("session_id", String(32), ForeignKey("sessions.id"), nullable=False, index=True),
    Column("grantee_id", String(32), ForeignKey("accounts.id"), nullable=False, index=True),
    Column("granted_by", String(32), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("mac", String(64), nullable=False),
    Column("sig", LargeBinary, nullable=True),  # Ed25519 by granted_by (migration 0050)
)

# A shared session's client DEK sealed to the grantee's own public key (migration 0040): the supervisor
# reads it with their own keys, whether or not the sharing clinician is signed in. No foreign key: a share
# removed elsewhere leaves an orphan that no lookup joins to (and shredding the client deletes it).
share_keys = Table(
    "share_keys",
    metadata,
    Column("share_id", String(32), primary_key=True),
    Column("key_id", String(32), nullable=False),
    Column("key_version", Integer, nullable=False),
    Column("sealed", LargeBinary, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(32), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("action", String(64), nullable=False),
    Column("target", String(64), nullable=False),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("mac", String(64), nullable=False),
)

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True),  # always 1; its row lock serialises appends on PostgreSQL
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("mac", String(64), nullable=False),
)

# One enrolled voiceprint per account (biometric), sealed under its own DEK in client_keys (client_id
# "voice:<account id>", wrapped like that clinician's client keys). Not in TABLES: backups leave voiceprints
# out, so `voice forget` is not undone by a restore (re-enroll instead).
voiceprints = Table(
    "voiceprints",
    metadata,
    Column("account_id", String(32), ForeignKey("accounts.id"), primary_key=True),
    *_sealed(),
)

# Durable jobs (no PHI in plain columns; stage outputs are sealed under the client's key).
jobs = Table(
    "jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("owner_id", String(32), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("client_id", String(32), nullable=False),
    Column("session_id", String(32), nullable=True),
    Column("state", String(16), nullable=False),
    Column("step", String(64), nullable=False),
    Column("progress", Integer, nullable=False),  # 0..1000
    Column("attempts", Integer, nullable=False),
    Column("lease_until", String(32), nullable=True),
    Column("worker", String(64), nullable=True),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("message", String(300), nullable=False),
    Column("history", Text, nullable=False),  # JSON: [{stage, worker, seconds}] — ids and timings only
)

job_stages = Table(
    "job_stages",
    metadata,
    Column("job_id", String(32), primary_key=True),
    Column("stage", String(32), primary_key=True),
    *_sealed(),
)

# Reflection records (impressions, journal, measures, check-ins, supervision packets): sealed under the
# client's key, or for a clinician's own check-ins (no client) under a key derived from the KEK for them.
# No foreign keys to clients/sessions: a shred or deletion is never blocked; orphans are purged.
reflections = Table(
    "reflections",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("owner_id", String(32), ForeignKey("accounts.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("client_id", String(32), nullable=True, index=True),
    Column("session_id", String(32), nullable=True, index=True),
    Column("recipient_id", String(32), nullable=True, index=True),
    Column("key_id", String(32), nullable=True),
    Column("key_version", Integer, nullable=True),
    Column("created_at", String(32), nullable=False),
    Column("sealed", LargeBinary, nullable=False),
)

Index("ix_shares_session_grantee", shares.c.session_id, shares.c.grantee_id, unique=True)

# Order matters for dump/restore: parents before children.
TABLES: tuple[Table, ...] = (
    vault_meta, accounts, key_escrow, account_keys, signing_keys, client_keys, clients, consents, sessions, blobs, blob_chunks,
    shares, share_keys, audit_log, audit_head, reflections,
)
