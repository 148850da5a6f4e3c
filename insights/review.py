"""Conversation review: one logged question as the member met it, for a facilitator to judge.

The answer given, what it cited, its confidence, the votes and their comments, and the
conversation it was part of, oldest turn first. Who asked is never shown.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from peerassist import query_log
from peerassist.db import QueryRecord
from peerassist.insights.gaps import apply_retention
from peerassist.retriever.service import AnswerService

GONE = "(no longer in the knowledge base)"


class CitedDocument(BaseModel):
    doc_id: str
    title: str


class Vote(BaseModel):
    helpful: bool
    comment: str | None


class Turn(BaseModel):
    id: str
    question: str
    standalone_question: str
    answer: str
    answered: bool
    confidence: float
    created_at: datetime
    citations: list[CitedDocument]
    votes: list[Vote]


class QueryReview(Turn):
    conversation: list[Turn]  # every turn, this one included, oldest first


def review(service: AnswerService, query_id: str) -> QueryReview | None:
    apply_retention(service)
    found = query_log.question_with_conversation(service.index.db, query_id)
    if found is None:
        return None
    query, turns = found
    votes = query_log.vote_details(service.index.db, (t.id for t in turns))
    documents = service.view.current().documents

    def turn(row: QueryRecord) -> Turn:
        return Turn(
            id=row.id, question=row.question, standalone_question=row.standalone_question, answer=row.answer,
            answered=row.answered, confidence=row.confidence, created_at=row.created_at,
            citations=[CitedDocument(doc_id=d, title=documents[d].title if d in documents else GONE) for d in row.cited_docs or []],
            votes=[Vote(helpful=v.helpful, comment=v.comment) for v in votes.get(row.id, [])],
        )

    return QueryReview(**turn(query).model_dump(), conversation=[turn(t) for t in turns])
