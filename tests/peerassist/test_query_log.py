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
