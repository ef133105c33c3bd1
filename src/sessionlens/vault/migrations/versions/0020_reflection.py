"""Reflection records: impressions, journal entries, measures, check-ins and supervision packets.

One table: each row is sealed under its client's key (or, for the clinician's own check-ins, a key
derived from the KEK for that account); the plain columns carry ids only.

Revision ID: 0020
Revises: 0010
Create Date: 2025-01-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reflections",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("owner_id", sa.String(32), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("client_id", sa.String(32), nullable=True),
        sa.Column("session_id", sa.String(32), nullable=True),
        sa.Column("recipient_id", sa.String(32), nullable=True),
        sa.Column("key_id", sa.String(32), nullable=True),
        sa.Column("key_version", sa.Integer, nullable=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("sealed", sa.LargeBinary, nullable=False),
    )
    for column in ("owner_id", "client_id", "session_id", "recipient_id"):
        op.create_index(f"ix_reflections_{column}", "reflections", [column])


def downgrade() -> None:
    op.drop_table("reflections")
