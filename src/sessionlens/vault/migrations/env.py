"""Alembic environment: always run programmatically with a connection handed over by store.migrate()."""

from __future__ import annotations

from alembic import context

from sessionlens.vault.models import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable when someone runs the alembic CLI by hand
    raise RuntimeError("run migrations through sessionlens.vault.store.migrate(), which passes a connection")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
