"""Chunked blobs: each chunk of a large blob (a recording) is its own sealed row, read by range.

Existing blobs keep their single stream envelope in ``blobs.content`` and stay readable; new
blobs hold a sealed manifest there and their bytes in ``blob_chunks``.

Revision ID: 0030
Revises: 0020
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blob_chunks",
        sa.Column("blob_id", sa.String(32), sa.ForeignKey("blobs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("idx", sa.Integer, primary_key=True),
        sa.Column("start", sa.BigInteger, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("blob_chunks")
