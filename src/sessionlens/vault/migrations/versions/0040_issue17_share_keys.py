"""Issue 17, finding 9: supervisor shares sealed to the supervisor's own key.

Each account with its own key hierarchy gets an X25519 key pair (the private half sealed under its
account KEK); sharing a session seals the client's DEK to the grantee's public key, in ``share_keys``.

Revision ID: 0040
Revises: 0030
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0040"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("account_keys", sa.Column("public_key", sa.LargeBinary, nullable=True))
    op.add_column("account_keys", sa.Column("private_sealed", sa.LargeBinary, nullable=True))
    op.create_table(
        "share_keys",
        sa.Column("share_id", sa.String(32), primary_key=True),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("key_version", sa.Integer, nullable=False),
        sa.Column("sealed", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("share_keys")
    op.drop_column("account_keys", "private_sealed")
    op.drop_column("account_keys", "public_key")
