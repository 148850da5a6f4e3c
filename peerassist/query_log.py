"""The query log and what hangs off it (votes, gap states): every SQL statement about them, in one place.

Features ask questions of the log through these functions (the retriever logs and continues
conversations, insights read gaps and usage, onboarding counts citations, the feedback route
records votes); none of them writes SQL about the log itself. Questions are written behind the answer
(`_LogWriter`); each read here waits for those logged before it.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import weakref
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update

from peerassist.db import CommunityAnswer, CommunityQuestion, Database, Feedback, GapHandled, GapResolution, QueryRecord, utcnow

log = logging.getLogger(__name__)


class _LogWriter:
    """Writes a database's logged questions on a thread of its own, in the order they were logged, as many to a
    transaction as have queued: the member's answer does not wait for the log's commit (1.1 ms of an 8 ms
    answer, bench_answer_time). The thread runs while there is something to write. Every read of the log
    first waits for what was logged before it (`settled`), so a vote or a follow-up finds its question."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._pending: list[QueryRecord] = []
        self._running = False
        self._idle = threading.Condition()

    def add(self, records: Iterable[QueryRecord]) -> None:
        with self._idle:
            self._pending.extend(records)
            if not self._running:
                try:
                    threading.Thread(target=self._write, name="peerassist-query-log", daemon=True).start()
                except RuntimeError:  # no thread to be had (the process is at its limit): write them here
                    batch, self._pending = self._pending, []
                    self._insert(batch)
                    return
                self._running = True

    def settled(self) -> None:
        with self._idle:
            self._idle.wait_for(lambda: not self._running)

    def _write(self) -> None:
        while True:
            with self._idle:
                batch, self._pending = self._pending, []
                if not batch:
                    self._running = False
                    self._idle.notify_all()
                    return
            try:
                self._insert(batch)
            except Exception:  # noqa: BLE001 - one bad row must not lose the others queued with it
                for record in batch:
                    try:
                        self._insert([record])
                    except Exception:  # noqa: BLE001 - the answer went out; a log row that cannot be written is reported
                        log.exception("could not log question %s", record.id)

    def _insert(self, records: list[QueryRecord]) -> None:
        with self._db.session() as session:
            session.add_all(records)


_writers: weakref.WeakKeyDictionary[Database, _LogWriter] = weakref.WeakKeyDictionary()
_writers_lock = threading.Lock()


def log_question(db: Database, record: QueryRecord) -> str:
    log_questions(db, [record])
    return record.id


def log_questions(db: Database, records: Iterable[QueryRecord]) -> None:
    """Queued for the database's log writer: written shortly after, and before any read of the log."""
    with _writers_lock:
        writer = _writers.get(db) or _writers.setdefault(db, _LogWriter(db))
    writer.add(records)


def settled(db: Database) -> None:
    """Wait until every question logged so far is written."""
    with _writers_lock:
        writer = _writers.get(db)
    if writer is not None:
        writer.settled()


# A child forked from a process with questions in flight has their records but not the thread writing them.
os.register_at_fork(after_in_child=_writers.clear)


@atexit.register
def _settle_all() -> None:
    """A process that answered and exits (`peerassist ask`) writes its log first."""
    with _writers_lock:
        writers = list(_writers.values())
    for writer in writers:
        writer.settled()


@dataclass(frozen=True)
class Turn:
    standalone_question: str
    asker: str | None
    key_id: str | None


def conversation_turns(db: Database, conversation_id: str) -> list[Turn]:
    """The conversation's questions, newest first, with who asked each."""
    settled(db)
    with db.session() as session:
        rows = session.execute(
            select(QueryRecord.standalone_question, QueryRecord.asker, QueryRecord.key_id)
            .where(QueryRecord.conversation_id == conversation_id)
            .order_by(QueryRecord.created_at.desc())
        ).all()
    return [Turn(*row) for row in rows]


def questions_between(db: Database, since: datetime, until: datetime | None = None) -> list[QueryRecord]:
    settled(db)
    with db.session() as session:
        query = select(QueryRecord).where(QueryRecord.created_at >= since)
        if until is not None:
            query = query.where(QueryRecord.created_at < until)
        # A fixed order: the same log gives the same gap topics on every load and every database.
        return list(session.scalars(query.order_by(QueryRecord.created_at, QueryRecord.id)))


def question_with_conversation(db: Database, query_id: str) -> tuple[QueryRecord, list[QueryRecord]] | None:
    """A logged question and every turn of its conversation, oldest first (conversation review)."""
    settled(db)
    with db.session() as session:
        query = session.get(QueryRecord, query_id)
        if query is None:
            return None
        turns = session.scalars(
            select(QueryRecord).where(QueryRecord.conversation_id == query.conversation_id)
            .order_by(QueryRecord.created_at, QueryRecord.id)
        )
        return query, list(turns)


def vote_details(db: Database, query_ids: Iterable[str]) -> dict[str, list[Feedback]]:
    """Every vote on these questions, with its comment."""
    wanted = set(query_ids)
    found: dict[str, list[Feedback]] = {}
    with db.session() as session:
        for vote in session.scalars(select(Feedback).where(Feedback.query_id.in_(wanted)).order_by(Feedback.updated_at)):
            found.setdefault(vote.query_id, []).append(vote)
    return found


REDACTED = "[redacted]"


def redact_before(db: Database, cutoff: datetime) -> int:
    """Replace the words of questions asked before `cutoff` (and their answers, vote comments and
    hand-off context) with REDACTED; the counts stay for the usage figures. Returns how many were redacted."""
    settled(db)
    old = select(QueryRecord.id).where(QueryRecord.created_at < cutoff, QueryRecord.question != REDACTED).scalar_subquery()
    with db.session() as session:  # by subquery: no list of ids, however many there are
        session.execute(update(Feedback).where(Feedback.query_id.in_(old)).values(comment=None))
        session.execute(
            update(CommunityQuestion).where(CommunityQuestion.query_id.in_(old)).values(question=REDACTED, context=None, notify=None)
        )
        redacted = session.execute(
            update(QueryRecord).where(QueryRecord.created_at < cutoff, QueryRecord.question != REDACTED)
            .values(question=REDACTED, standalone_question=REDACTED, answer=REDACTED)
        ).rowcount
    return int(redacted or 0)


def record_vote(db: Database, query_id: str, asker: str, helpful: bool, comment: str | None) -> bool:
    """One vote per question and asker (a new vote replaces it); False when the asker did not ask it."""
    settled(db)
    with db.session() as session:
        query = session.get(QueryRecord, query_id)
        if query is None or query.asker != asker:
            return False
        vote = session.get(Feedback, (query_id, asker)) or Feedback(query_id=query_id, asker=asker)
        vote.helpful, vote.comment, vote.updated_at = helpful, comment, utcnow()
        session.add(vote)
    return True


def votes(db: Database, query_ids: Iterable[str]) -> dict[str, bool]:
    """query id -> helpful, for those of `query_ids` that were voted on."""
    wanted = set(query_ids)
    with db.session() as session:
        return {v.query_id: v.helpful for v in session.scalars(select(Feedback).where(Feedback.query_id.in_(wanted)))}


def document_votes(db: Database) -> dict[str, tuple[int, int]]:
    """doc id -> (helpful, unhelpful): votes on the answers that cited it, plus approved community
    answers pointing to it (each counts as a helpful vote for every document it refers to)."""
    settled(db)
    helpful: Counter[str] = Counter()
    unhelpful: Counter[str] = Counter()
    with db.session() as session:
        rows = session.execute(select(QueryRecord.cited_docs, Feedback.helpful).join(Feedback, Feedback.query_id == QueryRecord.id))
        for docs, was_helpful in rows:
            for doc in set(docs or []):
                (helpful if was_helpful else unhelpful)[doc] += 1
        for refs in session.scalars(select(CommunityAnswer.doc_refs).where(CommunityAnswer.status == "approved")):
            helpful.update(set(refs or []))
    return {doc: (helpful[doc], unhelpful[doc]) for doc in helpful.keys() | unhelpful.keys()}


def unhelpful_ids(db: Database) -> set[str]:
    with db.session() as session:
        return set(session.scalars(select(Feedback.query_id).where(Feedback.helpful.is_(False))))


def cited_documents(db: Database, *, helpful_only: bool = False) -> Counter[str]:
    """How often each document was cited in an answer (only answers voted helpful, if asked)."""
    settled(db)
    query = select(QueryRecord.cited_docs)
    if helpful_only:
        query = query.join(Feedback, Feedback.query_id == QueryRecord.id).where(Feedback.helpful)
    with db.session() as session:
        return Counter(d for docs in session.scalars(query) for d in docs or [])


# --- gap states --------------------------------------------------------------------------------


def handled_ids(db: Database) -> set[str]:
    with db.session() as session:
        return set(session.scalars(select(GapHandled.query_id)))


def mark_handled(db: Database, query_ids: Iterable[str], handled_by: str, note: str | None = None) -> int:
    """Take these questions off the gap list; a KeyError names any id that is not a logged question."""
    settled(db)
    wanted = set(query_ids)
    with db.session() as session:
        known = set(session.scalars(select(QueryRecord.id).where(QueryRecord.id.in_(wanted))))
        if missing := wanted - known:
            raise KeyError(f"no such question: {', '.join(sorted(missing))}")
        already = set(session.scalars(select(GapHandled.query_id).where(GapHandled.query_id.in_(wanted))))
        session.add_all(GapHandled(query_id=q, handled_by=handled_by, note=note) for q in sorted(wanted - already))
    return len(wanted - already)


def unmark_handled(db: Database, query_ids: Iterable[str]) -> int:
    with db.session() as session:
        return int(session.execute(delete(GapHandled).where(GapHandled.query_id.in_(set(query_ids)))).rowcount or 0)


def resolutions(db: Database) -> dict[str, GapResolution]:
    with db.session() as session:
        return {r.query_id: r for r in session.scalars(select(GapResolution))}


def add_resolutions(db: Database, found: list[GapResolution]) -> None:
    with db.session() as session:
        session.add_all(found)


def replace_resolution(db: Database, resolution: GapResolution) -> None:
    """Record which document resolved a gap question, replacing an earlier record."""
    with db.session() as session:
        session.merge(resolution)
