"""Initial vault schema.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(32), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "vault_meta",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("vault_id", sa.String(32), nullable=False),
        sa.Column("format", sa.Integer, nullable=False),
        _ts("created_at"),
        sa.Column("kdf_memory_kib", sa.Integer, nullable=False),
        sa.Column("kdf_time_cost", sa.Integer, nullable=False),
        sa.Column("kdf_parallelism", sa.Integer, nullable=False),
        sa.Column("kdf_salt", sa.LargeBinary, nullable=False),
        sa.Column("kek_by_passphrase", sa.LargeBinary, nullable=False),
        sa.Column("kek_by_recovery", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "accounts",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("is_owner", sa.Integer, nullable=False),
        sa.Column("password_hash", sa.String(256), nullable=True),
        sa.Column("disabled", sa.Integer, nullable=False),
        sa.Column("failed_attempts", sa.Integer, nullable=False),
        _ts("locked_until", nullable=True),
        _ts("created_at"),
        sa.Column("mac", sa.String(64), nullable=False),
    )
    op.create_table(
        "client_keys",
        sa.Column("key_id", sa.String(32), primary_key=True),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        _ts("created_at"),
        sa.Column("wrapped", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_client_keys_client_id", "client_keys", ["client_id"])
    op.create_table(
        "clients",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("owner_id", sa.String(32), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("key_version", sa.Integer, nullable=False),
        _ts("created_at"),
        sa.Column("sealed", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_clients_owner_id", "clients", ["owner_id"])
    for name in ("consents", "sessions"):
        op.create_table(
            name,
            sa.Column("id", sa.String(32), primary_key=True),
            sa.Column("client_id", sa.String(32), sa.ForeignKey("clients.id"), nullable=False),
            sa.Column("key_id", sa.String(32), nullable=False),
            sa.Column("key_version", sa.Integer, nullable=False),
            _ts("created_at"),
            sa.Column("sealed", sa.LargeBinary, nullable=False),
        )
        op.create_index(f"ix_{name}_client_id", name, ["client_id"])
    op.create_table(
        "blobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("client_id", sa.String(32), sa.ForeignKey("clients.id"), nullable=False),
        sa.Column("session_id", sa.String(32), sa.ForeignKey("sessions.id"), nullable=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("key_version", sa.Integer, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        _ts("created_at"),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_blobs_client_id", "blobs", ["client_id"])
    op.create_index("ix_blobs_session_id", "blobs", ["session_id"])
    op.create_table(
        "shares",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("session_id", sa.String(32), sa.ForeignKey("sessions.id"), nullable=False),
        sa.Column("grantee_id", sa.String(32), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("granted_by", sa.String(32), nullable=False),
        _ts("created_at"),
        sa.Column("mac", sa.String(64), nullable=False),
    )
    op.create_index("ix_shares_session_id", "shares", ["session_id"])
    op.create_index("ix_shares_grantee_id", "shares", ["grantee_id"])
    op.create_index("ix_shares_session_grantee", "shares", ["session_id", "grantee_id"], unique=True)
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        _ts("at"),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
    )
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    for name in ("audit_head", "audit_log", "shares", "blobs", "sessions", "consents", "clients", "client_keys",
                 "accounts", "vault_meta"):
        op.drop_table(name)
