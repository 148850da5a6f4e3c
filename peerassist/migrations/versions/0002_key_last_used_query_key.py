"""Keys remember when they were last used; each logged question remembers the key that asked.

`peerassist keys list` shows `last_used`; conversations are bound to the key and asker
that started them, so a follow-up can only continue one's own conversation.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_keys") as batch:
        batch.add_column(sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("queries") as batch:
        batch.add_column(sa.Column("key_id", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("queries") as batch:
        batch.drop_column("key_id")
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("last_used_at")
