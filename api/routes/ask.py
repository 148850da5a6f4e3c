"""Asking: one JSON answer, or the same answer streamed as Server-Sent Events."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator

from fastapi import APIRouter, HTTPException
from fastapi.concurrency import run_in_threadpool
from sse_starlette.sse import EventSourceResponse

from api.deps import LimitedMemberDep, ServiceDep
from api.metrics import ANSWERS
from api.schemas import AskRequest
from retriever.filters import SearchFilter
from retriever.schemas import Answer
from retriever.service import AskOptions, QuestionError

router = APIRouter(prefix="/api", tags=["ask"])
# Split after a citation marker, so each streamed piece is a whole cited sentence or list item;
# the whitespace (a space, or the newline before a list item) starts the next piece.
PIECES = re.compile(r"(?<=\])(?=\s)")


async def _answer(body: AskRequest, caller, service) -> Answer:  # type: ignore[no-untyped-def]
    options = AskOptions(
        retriever=body.retriever,
        filter=SearchFilter(role=caller.role, tags=tuple(body.tags), audience=tuple(body.audience), source=body.source),
        conversation_id=body.conversation_id,
        asker=caller.pseudonym(body.client_id),
    )
    try:
        answer = await run_in_threadpool(service.ask, body.question, options)
    except QuestionError as exc:
        raise HTTPException(422, str(exc)) from exc
    ANSWERS.labels(str(answer.answered).lower()).inc()
    return answer


@router.post("/ask", response_model=Answer)
async def ask(body: AskRequest, caller: LimitedMemberDep, service: ServiceDep) -> Answer:
    """The cited answer (or a plain "not found" with related documents) and its query id."""
    return await _answer(body, caller, service)


@router.post("/ask/stream")
async def ask_stream(body: AskRequest, caller: LimitedMemberDep, service: ServiceDep) -> EventSourceResponse:
    """Events: `answer` (text pieces as produced), `citations`, `parts` (paragraphs and lists), then `done`."""
    answer = await _answer(body, caller, service)

    async def events() -> AsyncIterator[dict[str, str]]:
        for piece in PIECES.split(answer.answer):
            yield {"event": "answer", "data": json.dumps({"text": piece})}
        yield {"event": "citations", "data": json.dumps([c.model_dump() for c in answer.citations])}
        yield {"event": "parts", "data": json.dumps([p.model_dump() for p in answer.parts])}
        if not answer.answered:
            yield {"event": "related", "data": json.dumps([r.model_dump() for r in answer.related])}
        done = {
            "query_id": answer.query_id,
            "answered": answer.answered,
            "confidence": answer.confidence,
            "conversation_id": answer.conversation_id,
        }
        yield {"event": "done", "data": json.dumps(done)}

    return EventSourceResponse(events())
