"""Facilitator insights: knowledge-gap topics from the query log."""

from __future__ import annotations

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from api.deps import FacilitatorDep, ServiceDep
from insights.gaps import GapTopic, topics

router = APIRouter(prefix="/api/insights", tags=["insights"])


@router.get("/gaps", response_model=list[GapTopic])
async def gaps(caller: FacilitatorDep, service: ServiceDep, since_days: int = Query(30, ge=1, le=3650)) -> list[GapTopic]:
    return await run_in_threadpool(topics, service, since_days)
