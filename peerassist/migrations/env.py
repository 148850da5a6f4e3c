"""Alembic environment: always run through `peerassist.migrations.upgrade`, which hands in the connection."""

from __future__ import annotations

from alembic import context

from peerassist.db import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things in place: batch mode copies the table, rows included.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
