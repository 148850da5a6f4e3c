"""Baseline: the records schema of release 0.1, the last made by `create_all`.

A database that release created has these tables and no `alembic_version`; it is stamped
with this revision (see `peerassist.migrations`), never re-created. The schema is written
out here, not read from the models, so later model changes cannot alter history.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from peerassist.migrations import BASELINE_TABLES

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None



def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("origins", sa.JSON(), nullable=False),
        _when("created_at"),
        sa.Column("revoked", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_api_keys_key_hash", "api_keys", ["key_hash"], unique=True)
    op.create_table(
        "documents",
        sa.Column("physical_name", sa.String(200), primary_key=True),
        sa.Column("doc_id", sa.String(64), primary_key=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("filetype", sa.String(16), nullable=False),
        sa.Column("doc_hash", sa.String(64), nullable=False),
        sa.Column("chunk_count", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        _when("created_at"),
        _when("updated_at"),
    )
    op.create_table(
        "eval_runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _when("created_at"),
        sa.Column("dataset", sa.String(300), nullable=False),
        sa.Column("git_commit", sa.String(64), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("question_count", sa.Integer(), nullable=False),
        sa.Column("runs", sa.JSON(), nullable=False),
        sa.Column("failures", sa.JSON(), nullable=False),
    )
    op.create_index("ix_eval_runs_created_at", "eval_runs", ["created_at"])
    op.create_index("ix_eval_runs_dataset", "eval_runs", ["dataset"])
    op.create_table(
        "feedback",
        sa.Column("query_id", sa.String(32), primary_key=True),
        sa.Column("asker", sa.String(64), primary_key=True),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        _when("updated_at"),
    )
    op.create_table(
        "gap_handled",
        sa.Column("query_id", sa.String(32), primary_key=True),
        sa.Column("handled_by", sa.String(64), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        _when("handled_at"),
    )
    op.create_table(
        "gap_resolutions",
        sa.Column("query_id", sa.String(32), primary_key=True),
        sa.Column("resolved_by", sa.String(64), nullable=False),
        sa.Column("resolved_title", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        _when("resolved_at"),
    )
    op.create_table(
        "glossary_overrides",
        sa.Column("term_key", sa.String(200), primary_key=True),
        sa.Column("term", sa.String(200), nullable=False),
        sa.Column("definition", sa.Text(), nullable=True),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        _when("updated_at"),
    )
    op.create_table(
        "index_state",
        sa.Column("collection", sa.String(200), primary_key=True),
        sa.Column("physical_name", sa.String(200), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("manifest", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _when("updated_at"),
    )
    op.create_table(
        "onboarding_pins",
        sa.Column("doc_id", sa.String(64), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_table(
        "queries",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("conversation_id", sa.String(64), nullable=False),
        sa.Column("asker", sa.String(64), nullable=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("standalone_question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("retriever", sa.String(16), nullable=False),
        sa.Column("answerer", sa.String(16), nullable=False),
        sa.Column("cited_chunks", sa.JSON(), nullable=False),
        sa.Column("cited_docs", sa.JSON(), nullable=False),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        _when("created_at"),
    )
    op.create_index("ix_queries_answered", "queries", ["answered"])
    op.create_index("ix_queries_conversation_id", "queries", ["conversation_id"])
    op.create_index("ix_queries_created_at", "queries", ["created_at"])


def downgrade() -> None:
    for table in sorted(BASELINE_TABLES):
        op.drop_table(table)
