"""Facilitator insights: knowledge-gap topics and engagement, from the query log."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from api.deps import FacilitatorDep, ServiceDep
from insights.gaps import GapTopic, topics
from insights.summary import Summary, summarize
from peerassist.db import utcnow

router = APIRouter(prefix="/api/insights", tags=["insights"])


@router.get("/gaps", response_model=list[GapTopic])
async def gaps(caller: FacilitatorDep, service: ServiceDep, since_days: int = Query(30, ge=1, le=3650)) -> list[GapTopic]:
    return await run_in_threadpool(topics, service, since_days)


@router.get("/summary", response_model=Summary)
def summary(caller: FacilitatorDep, service: ServiceDep, since_days: int = Query(30, ge=1, le=3650)) -> Summary:
    """Questions per day/week, askers, answer and helpful rates, document use, contributor impact."""
    return summarize(service, utcnow() - timedelta(days=since_days))
