"""Votes on answers: one per query and asker, changeable."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from peerassist.api.deps import DatabaseDep, LimitedMemberDep
from peerassist.api.schemas import FeedbackPublic, FeedbackRequest
from peerassist import query_log

router = APIRouter(prefix="/api", tags=["feedback"])


@router.post("/feedback", response_model=FeedbackPublic)
def feedback(body: FeedbackRequest, caller: LimitedMemberDep, db: DatabaseDep) -> FeedbackPublic:
    if not query_log.record_vote(db, body.query_id, caller.pseudonym(body.client_id), body.helpful, body.comment):
        raise HTTPException(404, f"no query {body.query_id!r} asked by this asker")
    return FeedbackPublic(query_id=body.query_id, helpful=body.helpful, comment=body.comment)
