"""Newcomer onboarding: reading path, glossary, starter questions; facilitators curate path and glossary."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from peerassist.api.deps import FacilitatorDep, LimitedMemberDep, ServiceDep
from peerassist.onboarding.guide import Onboarding, save_override, save_pins

router = APIRouter(prefix="/api/onboarding", tags=["onboarding"])


class PinsRequest(BaseModel):
    doc_ids: list[str] = Field(description="start-here documents in reading order; replaces the pins")


class GlossaryOverrideRequest(BaseModel):
    definition: str | None = Field(default=None, max_length=2000)
    hidden: bool = False


@router.get("", response_model=Onboarding)
async def onboarding(request: Request, caller: LimitedMemberDep) -> Onboarding:
    """What this caller's role may see: audience rules apply to every entry."""
    return await run_in_threadpool(request.app.state.onboarding.get, caller.role)


@router.put("/path", status_code=204)
def pin_path(body: PinsRequest, caller: FacilitatorDep, service: ServiceDep) -> None:
    documents = service.view.current().documents
    unknown = [d for d in body.doc_ids if d not in documents]
    if unknown:
        raise HTTPException(422, f"unknown document ids: {', '.join(unknown)}")
    save_pins(service, list(dict.fromkeys(body.doc_ids)))


@router.put("/glossary/{term}", status_code=204)
def override_term(term: str, body: GlossaryOverrideRequest, caller: FacilitatorDep, service: ServiceDep) -> None:
    if not body.hidden and not (body.definition or "").strip():
        raise HTTPException(422, "give a definition, or hidden: true")
    save_override(service, term, body.definition, body.hidden)
