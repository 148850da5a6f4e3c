"""Asking: one JSON answer, or the same answer streamed as Server-Sent Events."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, HTTPException
from fastapi.concurrency import iterate_in_threadpool, run_in_threadpool
from sse_starlette.sse import EventSourceResponse

from peerassist.api.deps import LimitedMemberDep, ServiceDep
from peerassist.api.metrics import ANSWERS
from peerassist.api.schemas import AskRequest
from peerassist.retriever.filters import SearchFilter
from peerassist.retriever.schemas import Answer
from peerassist.retriever.service import AskOptions, QuestionError

router = APIRouter(prefix="/api", tags=["ask"])


def _options(body: AskRequest, caller) -> AskOptions:  # type: ignore[no-untyped-def]
    return AskOptions(
        retriever=body.retriever,
        filter=SearchFilter(role=caller.role, tags=tuple(body.tags), audience=tuple(body.audience), source=body.source),
        conversation_id=body.conversation_id,
        asker=caller.pseudonym(body.client_id),
        key_id=caller.key_id,
    )


@router.post("/ask", response_model=Answer)
async def ask(body: AskRequest, caller: LimitedMemberDep, service: ServiceDep) -> Answer:
    """The cited answer (or a plain "not found" with related documents) and its query id."""
    try:
        answer = await run_in_threadpool(service.ask, body.question, _options(body, caller))
    except QuestionError as exc:
        raise HTTPException(422, str(exc)) from exc
    ANSWERS.labels(str(answer.answered).lower()).inc()
    return answer


@router.post("/ask/stream")
async def ask_stream(body: AskRequest, caller: LimitedMemberDep, service: ServiceDep) -> EventSourceResponse:
    """Events: `answer` (text as produced: an LLM's tokens before its post-check, or the offline
    answer's pieces), then `checked` (the final text: what the check kept), `retracted` (each
    sentence it dropped, and why), `citations`, `parts` (paragraphs and lists), `done`.

    A bad question is a 422 before any event.
    """
    stream = iterate_in_threadpool(service.ask_stream(body.question, _options(body, caller)))
    try:
        first = await anext(stream)
    except QuestionError as exc:
        raise HTTPException(422, str(exc)) from exc

    async def events() -> AsyncIterator[dict[str, str]]:
        event = first
        while not isinstance(event, Answer):
            yield {"event": "answer", "data": json.dumps({"text": event})}
            event = await anext(stream)
        answer = event
        ANSWERS.labels(str(answer.answered).lower()).inc()
        yield {"event": "checked", "data": json.dumps({"text": answer.answer})}
        for dropped in answer.dropped:
            yield {"event": "retracted", "data": dropped.model_dump_json()}
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
