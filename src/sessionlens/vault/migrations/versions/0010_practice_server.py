"""Practice server: per-account key hierarchies, the recovery escrow key, durable jobs and their stages.

Revision ID: 0010
Revises: 0002
Create Date: 2025-02-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0002"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(32), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "key_escrow",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("public_key", sa.LargeBinary, nullable=False),
        sa.Column("private_by_recovery", sa.LargeBinary, nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
    )
    op.create_table(
        "account_keys",
        sa.Column("account_id", sa.String(32), sa.ForeignKey("accounts.id"), primary_key=True),
        _ts("created_at"),
        sa.Column("kdf_memory_kib", sa.Integer, nullable=False),
        sa.Column("kdf_time_cost", sa.Integer, nullable=False),
        sa.Column("kdf_parallelism", sa.Integer, nullable=False),
        sa.Column("kdf_salt", sa.LargeBinary, nullable=False),
        sa.Column("kek_by_password", sa.LargeBinary, nullable=False),
        sa.Column("kek_by_escrow", sa.LargeBinary, nullable=True),
        sa.Column("integrity", sa.LargeBinary, nullable=False),
    )
    with op.batch_alter_table("client_keys") as batch:
        batch.add_column(sa.Column("wrapped_by", sa.String(32), nullable=True))
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("owner_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("session_id", sa.String(32), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("step", sa.String(64), nullable=False),
        sa.Column("progress", sa.Integer, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        _ts("lease_until", nullable=True),
        sa.Column("worker", sa.String(64), nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        sa.Column("message", sa.String(300), nullable=False),
        sa.Column("history", sa.Text, nullable=False),
    )
    op.create_index("ix_jobs_owner_id", "jobs", ["owner_id"])
    op.create_table(
        "job_stages",
        sa.Column("job_id", sa.String(32), primary_key=True),
        sa.Column("stage", sa.String(32), primary_key=True),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("key_version", sa.Integer, nullable=False),
        _ts("created_at"),
        sa.Column("sealed", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("job_stages")
    op.drop_index("ix_jobs_owner_id", "jobs")
    op.drop_table("jobs")
    with op.batch_alter_table("client_keys") as batch:
        batch.drop_column("wrapped_by")
    op.drop_table("account_keys")
    op.drop_table("key_escrow")
