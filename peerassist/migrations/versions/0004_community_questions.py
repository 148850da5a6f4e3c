"""Questions handed to the community and the answers members propose (issue 14, the hand-off).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "community_questions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("query_id", sa.String(32), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("context", sa.Text(), nullable=True),
        sa.Column("asker", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("notify", sa.String(320), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer_doc_id", sa.String(64), nullable=True),
    )
    for column in ("query_id", "asker", "status"):
        op.create_index(f"ix_community_questions_{column}", "community_questions", [column])
    op.create_table(
        "community_answers",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("question_id", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("doc_refs", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("approved_by", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_community_answers_question_id", "community_answers", ["question_id"])


def downgrade() -> None:
    op.drop_table("community_answers")
    op.drop_table("community_questions")
