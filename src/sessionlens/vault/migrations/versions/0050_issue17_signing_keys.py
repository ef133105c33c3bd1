"""Issue 17, item 2: per-account Ed25519 signing of role assignments and share grants.

Adds ``signing_keys`` (each account's Ed25519 pair: public half, private half sealed under the account KEK
or, for the owner, the vault KEK), the role signature columns on ``accounts`` and the grant signature on
``shares``. Existing rows stay unsigned: they are signed when the owner (then each admin) next signs in,
and shares when their clinician next signs in; until then the anchor's role pins are the check
(docs/security.md).

Revision ID: 0050
Revises: 0040
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0050"
down_revision = "0040"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signing_keys",
        sa.Column("account_id", sa.String(32), sa.ForeignKey("accounts.id"), primary_key=True),
        sa.Column("public_key", sa.LargeBinary, nullable=False),
        sa.Column("private_sealed", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.add_column("accounts", sa.Column("role_sig", sa.LargeBinary, nullable=True))
    op.add_column("accounts", sa.Column("role_signer", sa.String(32), nullable=True))
    op.add_column("accounts", sa.Column("role_key", sa.String(64), nullable=True))
    op.add_column("shares", sa.Column("sig", sa.LargeBinary, nullable=True))


def downgrade() -> None:
    op.drop_column("shares", "sig")
    op.drop_column("accounts", "role_key")
    op.drop_column("accounts", "role_signer")
    op.drop_column("accounts", "role_sig")
    op.drop_table("signing_keys")
