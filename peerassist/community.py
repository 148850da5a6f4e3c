"""The open-questions queue and members' answers: every SQL statement about them, in one place."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from peerassist.db import CommunityAnswer, CommunityQuestion, Database, QueryRecord, utcnow
from peerassist.query_log import settled

# The tag every approved answer's document carries.
COMMUNITY_TAG = "community-answer"


class UnknownQuestion(LookupError):
    """No such question (or answer) in the queue; the message names it."""


class QuestionNotOpen(ValueError):
    """The question was answered or closed already; the message says which."""


@dataclass
class Thread:
    question: CommunityQuestion
    answers: list[CommunityAnswer] = field(default_factory=list)


def hand_off(db: Database, query_id: str, asker: str, key_id: str, context: str | None, notify: str | None) -> CommunityQuestion:
    """Queue a logged question for people; asking again for the same question returns the one queued."""
    settled(db)  # (the question may have been asked a moment ago: its log row is written behind the answer)
    with db.session() as session:
        query = session.get(QueryRecord, query_id)
        if query is None or query.asker != asker:
            raise UnknownQuestion(f"no query {query_id!r} asked by this asker")
        existing = session.scalars(select(CommunityQuestion).where(CommunityQuestion.query_id == query_id)).first()
        if existing is not None:
            return existing
        row = CommunityQuestion(
            # The question as it stands alone: a follow-up ("and at weekends?") is read with its conversation.
            id=uuid.uuid4().hex, query_id=query_id, question=query.standalone_question, context=context, asker=asker,
            key_id=key_id, notify=notify, status="open", created_at=utcnow(),
        )
        session.add(row)
        return row


def threads(db: Database, status: str | None = None, asker: str | None = None) -> list[Thread]:
    """Questions (newest first) with their answers (oldest first); only `asker`'s when given."""
    with db.session() as session:
        query = select(CommunityQuestion).order_by(CommunityQuestion.created_at.desc(), CommunityQuestion.id)
        if status:
            query = query.where(CommunityQuestion.status == status)
        if asker is not None:
            query = query.where(CommunityQuestion.asker == asker)
        found = [Thread(q) for q in session.scalars(query)]
        by_id = {t.question.id: t for t in found}
        if by_id:
            answers = select(CommunityAnswer).where(CommunityAnswer.question_id.in_(by_id)).order_by(CommunityAnswer.created_at)
            for answer in session.scalars(answers):
                by_id[answer.question_id].answers.append(answer)
        return found


def _question(session: Session, question_id: str) -> CommunityQuestion:
    question = session.get(CommunityQuestion, question_id)
    if question is None:
        raise UnknownQuestion(f"no question {question_id!r} in the queue")
    return question


def thread(db: Database, question_id: str) -> Thread:
    with db.session() as session:
        question = _question(session, question_id)
        answers = session.scalars(
            select(CommunityAnswer).where(CommunityAnswer.question_id == question_id).order_by(CommunityAnswer.created_at)
        )
        return Thread(question, list(answers))


def propose(db: Database, question_id: str, text: str, doc_refs: list[str], author: str, key_id: str) -> CommunityAnswer:
    with db.session() as session:
        question = _question(session, question_id)
        if question.status != "open":
            raise QuestionNotOpen(f"question {question_id!r} is {question.status}; answers go to open questions")
        answer = CommunityAnswer(
            id=uuid.uuid4().hex, question_id=question_id, text=text, doc_refs=doc_refs, author=author,
            key_id=key_id, status="proposed", created_at=utcnow(),
        )
        session.add(answer)
        return answer


def claim_for_approval(db: Database, question_id: str, answer_id: str) -> Thread:
    """Take an open question out of the queue for one approval (a second one at the same time gets
    QuestionNotOpen); `release` puts it back if the approval fails."""
    found = thread(db, question_id)
    if all(a.id != answer_id for a in found.answers):
        raise UnknownQuestion(f"no answer {answer_id!r} to question {question_id!r}")
    with db.session() as session:
        claimed = session.execute(
            update(CommunityQuestion).where(CommunityQuestion.id == question_id, CommunityQuestion.status == "open")
            .values(status="approving")
        ).rowcount
    if not claimed:
        raise QuestionNotOpen(f"question {question_id!r} is {thread(db, question_id).question.status} already")
    return found


def release(db: Database, question_id: str) -> None:
    with db.session() as session:
        session.execute(
            update(CommunityQuestion).where(CommunityQuestion.id == question_id, CommunityQuestion.status == "approving")
            .values(status="open")
        )


def mark_approved(db: Database, question_id: str, answer_id: str, approver: str, doc_id: str) -> None:
    """The answer is approved and its document written: the question is answered by that document."""
    now = utcnow()
    with db.session() as session:
        answer = session.get(CommunityAnswer, answer_id)
        question = session.get(CommunityQuestion, question_id)
        if answer is None or question is None:
            raise UnknownQuestion(f"no answer {answer_id!r} to question {question_id!r}")
        answer.status, answer.approved_by, answer.approved_at = "approved", approver, now
        question.status, question.answered_at, question.answer_doc_id = "answered", now, doc_id


def close(db: Database, question_id: str) -> None:
    """Take a question off the queue without an answer (out of scope, a duplicate)."""
    with db.session() as session:
        question = _question(session, question_id)
        if question.status != "open":
            raise QuestionNotOpen(f"question {question_id!r} is {question.status} already")
        question.status = "closed"


def approved_per_author(db: Database) -> Counter[str]:
    """How many approved answers each person wrote (contributor recognition)."""
    with db.session() as session:
        rows = session.execute(
            select(CommunityAnswer.author, func.count()).where(CommunityAnswer.status == "approved").group_by(CommunityAnswer.author)
        )
        return Counter({author: int(n) for author, n in rows})
