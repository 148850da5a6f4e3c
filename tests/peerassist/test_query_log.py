"""The query-log repository: the one place its SQL lives."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from peerassist import query_log
from peerassist.db import Database, GapResolution, QueryRecord, utcnow


def _question(n: int, conversation: str, asker: str | None, cited: list[str], minutes: int = 0) -> QueryRecord:
    return QueryRecord(
        id=f"q{n}", conversation_id=conversation, asker=asker, key_id="k1" if asker else None, question=f"Q{n}?",
        standalone_question=f"Standalone {n}?", answer="A [1]", answered=bool(cited), confidence=0.8, retriever="hybrid",
        answerer="extractive", cited_chunks=[], cited_docs=cited, latency_ms=10.0,
        created_at=utcnow() - timedelta(days=1) + timedelta(minutes=minutes),
    )


@pytest.fixture
def db(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'log.db'}")
    query_log.log_questions(db, [_question(1, "c1", "alice", ["d1"]), _question(2, "c1", "alice", ["d1", "d2"], 5),
                                 _question(3, "c2", "bob", [], 10)])
    return db


def test_conversation_turns_newest_first_with_their_asker(db: Database) -> None:
    turns = query_log.conversation_turns(db, "c1")
    assert [t.standalone_question for t in turns] == ["Standalone 2?", "Standalone 1?"]
    assert {(t.asker, t.key_id) for t in turns} == {("alice", "k1")}
    assert query_log.conversation_turns(db, "nobody") == []


def test_votes_only_by_the_asker_and_citation_counts(db: Database) -> None:
    assert not query_log.record_vote(db, "q1", "bob", True, None)
    assert query_log.record_vote(db, "q1", "alice", False, "wrong room")
    assert query_log.record_vote(db, "q1", "alice", True, None)  # a new vote replaces the old
    assert query_log.votes(db, ["q1", "q2"]) == {"q1": True}
    assert query_log.cited_documents(db) == {"d1": 2, "d2": 1}
    assert query_log.cited_documents(db, helpful_only=True) == {"d1": 1}
    assert query_log.unhelpful_ids(db) == set()


def test_gap_states(db: Database) -> None:
    assert [r.id for r in query_log.questions_between(db, utcnow() - timedelta(days=2))] == ["q1", "q2", "q3"]
    with pytest.raises(KeyError, match="no such question: q9"):
        query_log.mark_handled(db, ["q3", "q9"], "k-admin")
    assert query_log.mark_handled(db, ["q3"], "k-admin", "out of scope") == 1
    assert query_log.mark_handled(db, ["q3"], "k-admin") == 0
    assert query_log.handled_ids(db) == {"q3"}
    assert query_log.unmark_handled(db, ["q3"]) == 1 and query_log.handled_ids(db) == set()
    query_log.add_resolutions(db, [GapResolution(query_id="q3", resolved_by="d2", resolved_title="D2", confidence=0.9)])
    assert set(query_log.resolutions(db)) == {"q3"}


def test_logging_does_not_wait_for_the_database_and_every_read_waits_for_the_log(tmp_path: Path) -> None:
    """The member's answer goes back before its log row is committed; a vote or a follow-up still finds it."""
    import sqlite3
    import time

    db = Database(f"sqlite:///{tmp_path / 'log.db'}")
    blocker = sqlite3.connect(tmp_path / "log.db", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the database
    started = time.perf_counter()
    query_log.log_question(db, _question(1, "c1", "alice", ["d1"]))
    assert time.perf_counter() - started < 0.5  # (the writer waits up to 30 s for the lock; the caller does not)
    blocker.execute("ROLLBACK")
    assert query_log.record_vote(db, "q1", "alice", True, None)  # the vote waited for its question
    assert [t.standalone_question for t in query_log.conversation_turns(db, "c1")] == ["Standalone 1?"]


def test_a_row_that_cannot_be_written_is_reported_and_loses_no_other(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Rows queued together are written together: a bad one (here a second q1) must not take the rest with it."""
    db = Database(f"sqlite:///{tmp_path / 'log.db'}")
    query_log.log_question(db, _question(1, "c1", "alice", []))
    query_log.settled(db)
    query_log.log_questions(db, [_question(2, "c9", "carol", []), _question(1, "c9", "carol", []), _question(3, "c9", "carol", [])])
    assert sorted(t.standalone_question for t in query_log.conversation_turns(db, "c9")) == ["Standalone 2?", "Standalone 3?"]
    assert "could not log question q1" in caplog.text


def test_a_process_that_logs_and_exits_writes_its_log(tmp_path: Path) -> None:
    """`peerassist ask` prints its answer and exits: the question it logged is written first."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'log.db'}"
    script = (
        "from tests.peerassist.test_query_log import _question\n"
        "from peerassist import query_log\nfrom peerassist.db import Database\n"
        f"query_log.log_question(Database({url!r}), _question(7, 'c7', 'dan', []))\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=Path(__file__).resolve().parents[2])
    assert [t.asker for t in query_log.conversation_turns(Database(url), "c7")] == ["dan"]


def test_without_a_thread_to_write_it_the_question_is_written_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A process at its thread limit still logs (and a later read does not wait for a writer that never started)."""
    import threading

    class NoThread(threading.Thread):
        def start(self) -> None:
            raise RuntimeError("can't start new thread")

    monkeypatch.setattr(query_log.threading, "Thread", NoThread)
    db = Database(f"sqlite:///{tmp_path / 'log.db'}")
    query_log.log_question(db, _question(5, "c5", "erin", []))
    monkeypatch.undo()
    assert [t.asker for t in query_log.conversation_turns(Database(f"sqlite:///{tmp_path / 'log.db'}"), "c5")] == ["erin"]
    assert [t.asker for t in query_log.conversation_turns(db, "c5")] == ["erin"]
