"""Facilitator insights: knowledge-gap topics and engagement, from the query log."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from peerassist.api.deps import FacilitatorDep, ServiceDep, SinceDays
from peerassist import community
from peerassist.insights.experts import Expert, experts
from peerassist.insights.gaps import GapTopic, mark_handled, topics, unmark_handled
from peerassist.insights.review import QueryReview, review
from peerassist.insights.summary import Summary, summarize
from peerassist.db import utcnow

router = APIRouter(prefix="/api/insights", tags=["insights"])


class HandledBase(BaseModel):
    query_ids: list[str] = Field(min_length=1, max_length=1000, description="a gap topic's query_ids")


class HandledCreate(HandledBase):
    note: str | None = Field(None, max_length=2000, description="what was done, e.g. the new document's name")


class HandledPublic(BaseModel):
    handled: int  # questions newly taken off (or, undone, put back on) the gap list


@router.get("/gaps", response_model=list[GapTopic])
async def gaps(caller: FacilitatorDep, service: ServiceDep, since: SinceDays) -> list[GapTopic]:
    return await run_in_threadpool(topics, service, since)


@router.post("/gaps/handled", response_model=HandledPublic)
def handled(body: HandledCreate, caller: FacilitatorDep, service: ServiceDep) -> HandledPublic:
    """Take a topic's questions off the gap list; new questions on the topic bring it back."""
    try:
        return HandledPublic(handled=mark_handled(service, body.query_ids, caller.key_id, body.note))
    except KeyError as exc:
        raise HTTPException(404, exc.args[0]) from None


@router.post("/gaps/unhandled", response_model=HandledPublic)
def unhandled(body: HandledBase, caller: FacilitatorDep, service: ServiceDep) -> HandledPublic:
    """Undo "mark as handled": the questions count as gaps again."""
    return HandledPublic(handled=unmark_handled(service, body.query_ids))


@router.get("/summary", response_model=Summary)
def summary(caller: FacilitatorDep, service: ServiceDep, since: SinceDays) -> Summary:
    """Questions per day/week, askers, answer and helpful rates, document use, contributor impact."""
    return summarize(service, utcnow() - timedelta(days=since))


@router.get("/experts", response_model=list[Expert])
async def who_knows(
    caller: FacilitatorDep,
    service: ServiceDep,
    topic: Annotated[str | None, Query(min_length=2, max_length=500, description="a gap topic's label, or any question")] = None,
    question_id: Annotated[str | None, Query(max_length=32, description="an open question's id (/api/questions)")] = None,
) -> list[Expert]:
    """Up to three people likely to know, each with why: authors, approved answerers, named contacts."""
    if (topic is None) == (question_id is None):
        raise HTTPException(422, "give exactly one of topic or question_id")
    if question_id is not None:
        try:
            found = community.thread(service.index.db, question_id).question
        except community.UnknownQuestion as exc:
            raise HTTPException(404, str(exc)) from None
        topic = f"{found.question} {found.context or ''}".strip()
    return await run_in_threadpool(experts, service, topic)


@router.get("/queries/{query_id}", response_model=QueryReview)
def query_review(query_id: str, caller: FacilitatorDep, service: ServiceDep) -> QueryReview:
    """One logged question as the member met it: answer, citations, confidence, votes, its conversation."""
    found = review(service, query_id)
    if found is None:
        raise HTTPException(404, f"no logged question {query_id!r}")
    return found
