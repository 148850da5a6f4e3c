"""The project's own records (SQLite by default, PostgreSQL by URL).

The document registry lives here, beside Chroma: it says which version of each document is
live. A registry row is the commit point of an ingest, so a reader never sees a mix of a
document's old and new chunks, and a crashed run leaves nothing the next run cannot repair.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    Integer,
    String,
    Text,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from peerassist import migrations


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class IndexState(Base):
    """One row per logical collection: which physical Chroma collection is live, built how."""

    __tablename__ = "index_state"

    collection: Mapped[str] = mapped_column(String(200), primary_key=True)
    physical_name: Mapped[str] = mapped_column(String(200))
    generation: Mapped[int] = mapped_column(Integer, default=0)
    manifest: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Bumped on every committed change, so other processes know their caches are stale.
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DocumentRecord(Base):
    __tablename__ = "documents"

    physical_name: Mapped[str] = mapped_column(String(200), primary_key=True)
    doc_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    filetype: Mapped[str] = mapped_column(String(16))
    doc_hash: Mapped[str] = mapped_column(String(64))
    chunk_count: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class QueryRecord(Base):
    """One question asked and what Peer Assist answered: the query log facilitators read."""

    __tablename__ = "queries"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(64), index=True)
    asker: Mapped[str | None] = mapped_column(String(64), nullable=True)
    key_id: Mapped[str | None] = mapped_column(String(32), nullable=True)  # the API key that asked; None from the CLI
    question: Mapped[str] = mapped_column(Text)
    # The question as retrieved: a follow-up rewritten to stand on its own.
    standalone_question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    answered: Mapped[bool] = mapped_column(Boolean, index=True)
    confidence: Mapped[float] = mapped_column(Float)
    retriever: Mapped[str] = mapped_column(String(16))
    answerer: Mapped[str] = mapped_column(String(16))
    cited_chunks: Mapped[list[str]] = mapped_column(JSON)
    cited_docs: Mapped[list[str]] = mapped_column(JSON)
    latency_ms: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class EvalRunRecord(Base):
    """One eval run: which dataset, which code and settings, what came out."""

    __tablename__ = "eval_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    dataset: Mapped[str] = mapped_column(String(300), index=True)
    git_commit: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(64))
    question_count: Mapped[int] = mapped_column(Integer)
    runs: Mapped[dict[str, Any]] = mapped_column(JSON)  # {retriever: {metric: value}}
    failures: Mapped[dict[str, Any]] = mapped_column(JSON)  # {retriever: [failed question, ...]}


class ApiKey(Base):
    """An API key, stored only as a hash; `origins` limits a public widget key to those sites."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    prefix: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(16))
    origins: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Feedback(Base):
    """One vote per query and asker; voting again changes it."""

    __tablename__ = "feedback"

    query_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    asker: Mapped[str] = mapped_column(String(64), primary_key=True)
    helpful: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OnboardingPin(Base):
    """A facilitator's choice of a start-here document and its place in the reading list."""

    __tablename__ = "onboarding_pins"

    doc_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class GlossaryOverride(Base):
    """A facilitator's correction of an extracted glossary entry: a new definition, or hidden."""

    __tablename__ = "glossary_overrides"

    term_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    term: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str | None] = mapped_column(Text, nullable=True)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class GapResolution(Base):
    """A gap question that a later ingest answered: which document closed it, and when."""

    __tablename__ = "gap_resolutions"

    query_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    resolved_by: Mapped[str] = mapped_column(String(64))  # doc_id of the first citation
    resolved_title: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    resolved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class GapHandled(Base):
    """A gap question a facilitator has dealt with (written it up, or ruled it out of scope)."""

    __tablename__ = "gap_handled"

    query_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    handled_by: Mapped[str] = mapped_column(String(64))  # the key id that marked it
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    handled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)



class SourceRun(Base):
    """One sync of a declared source (sources.yaml): when, what it counted, what went wrong."""

    __tablename__ = "source_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ok: Mapped[bool] = mapped_column(Boolean)
    # {"documents", "added", "updated", "unchanged", "deleted", "fetched", "not_modified", "skipped"}
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{"item": url or name, "error": text}]


class CommunityQuestion(Base):
    """A question the documents could not answer, handed to the community (the open-questions queue)."""

    __tablename__ = "community_questions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    query_id: Mapped[str] = mapped_column(String(32), index=True)  # the logged question it came from
    question: Mapped[str] = mapped_column(Text)
    context: Mapped[str | None] = mapped_column(Text, nullable=True)
    asker: Mapped[str] = mapped_column(String(64), index=True)  # a pseudonym (see api.deps.Caller)
    key_id: Mapped[str] = mapped_column(String(32))
    # "widget": show the answer on the asker's next visit; an email address: also mail it (if mail is set up).
    notify: Mapped[str | None] = mapped_column(String(320), nullable=True)
    status: Mapped[str] = mapped_column(String(16), index=True, default="open")  # open | approving | answered | closed
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    answer_doc_id: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the community-answers document


class CommunityAnswer(Base):
    """A member's proposed answer to an open question; a facilitator approves one."""

    __tablename__ = "community_answers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(32), index=True)
    text: Mapped[str] = mapped_column(Text)
    doc_refs: Mapped[list[str]] = mapped_column(JSON)  # doc ids the answer points to
    author: Mapped[str] = mapped_column(String(200))
    key_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="proposed")  # proposed | approved
    approved_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

def engine_for(url: str) -> Engine:
    """An engine for the records URL (a SQLite file's folder is created; WAL for concurrent readers)."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    # pre_ping: a pooled connection to a database server that restarted is replaced, not handed out broken.
    engine = create_engine(url, future=True, pool_pre_ping=not url.startswith("sqlite"))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


class Database:
    def __init__(self, url: str) -> None:
        self.engine: Engine = engine_for(url)
        migrations.ensure_current(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back if it raises."""
        with self._sessions.begin() as session:
            yield session


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
