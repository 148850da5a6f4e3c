"""The declared sources (sources.yaml) and how their last sync went: for admins."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.concurrency import run_in_threadpool

from peerassist.api.deps import AdminDep, ServiceDep, SettingsDep
from peerassist.ingest.sources.config import SourcesError, load_sources
from peerassist.ingest.sources.sync import SourceStatus, source_status

router = APIRouter(prefix="/api/sources", tags=["sources"])


@router.get("", response_model=list[SourceStatus])
async def sources(caller: AdminDep, service: ServiceDep, settings: SettingsDep) -> list[SourceStatus]:
    """Every declared source with its last run; an empty list when no sources file is set."""
    if settings.sources is None:
        return []
    try:
        declared, _ = load_sources(settings.sources)
    except SourcesError as exc:
        raise HTTPException(status_code=503, detail=str(exc)) from None
    return await run_in_threadpool(source_status, service.index, declared)
