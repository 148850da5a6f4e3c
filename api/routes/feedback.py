"""Votes on answers: one per query and asker, changeable."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from api.deps import DatabaseDep, LimitedMemberDep
from api.schemas import FeedbackPublic, FeedbackRequest
from peerassist.db import Feedback, QueryRecord, utcnow

router = APIRouter(prefix="/api", tags=["feedback"])


@router.post("/feedback", response_model=FeedbackPublic)
def feedback(body: FeedbackRequest, caller: LimitedMemberDep, db: DatabaseDep) -> FeedbackPublic:
    asker = caller.pseudonym(body.client_id)
    with db.session() as session:
        query = session.get(QueryRecord, body.query_id)
        if query is None or query.asker != asker:
            raise HTTPException(404, f"no query {body.query_id!r} asked by this asker")
        vote = session.get(Feedback, (body.query_id, asker)) or Feedback(query_id=body.query_id, asker=asker)
        vote.helpful, vote.comment, vote.updated_at = body.helpful, body.comment, utcnow()
        session.add(vote)
    return FeedbackPublic(query_id=body.query_id, helpful=body.helpful, comment=body.comment)
