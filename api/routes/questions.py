"""The community hand-off: questions the documents could not answer, members' answers, approval.

A member hands a not-found answer to the community and sees only their own questions; any
member may propose an answer; a facilitator sees the whole queue and approves an answer,
which becomes a cited document (see peerassist.insights.community).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import AfterValidator, BaseModel, Field

from peerassist import community
from peerassist.api.deps import FacilitatorDep, LimitedMemberDep, ServiceDep
from peerassist.insights import community as loop
from peerassist.retriever.filters import SearchFilter
from peerassist.roles import ROLE_RANK
from peerassist.text import single_line

router = APIRouter(prefix="/api/questions", tags=["community"])
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _notify_target(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if value == "widget" or EMAIL.match(value):
        return value
    raise ValueError('must be an email address, or "widget" to be shown the answer on the next visit')


OneLine = Annotated[str, AfterValidator(single_line)]


class QuestionCreate(BaseModel):
    query_id: str = Field(min_length=1, max_length=32, description="the logged question (from /api/ask's query_id)")
    context: OneLine | None = Field(None, max_length=1000, description="a line of context for the people answering")
    notify: Annotated[str | None, AfterValidator(_notify_target)] = Field(
        None, max_length=320, description='an email address, or "widget" (show me next time); unset: not told'
    )
    client_id: str | None = Field(None, max_length=64, description="the widget's anonymous session id, as in /api/ask")


class AnswerCreate(BaseModel):
    text: str = Field(min_length=1, max_length=5000)
    doc_refs: list[str] = Field(default=[], max_length=10, description="ids of documents the answer draws on")
    author: OneLine = Field("a community member", min_length=1, max_length=200, description="the name to credit")


class Approve(BaseModel):
    approver: OneLine = Field("a facilitator", min_length=1, max_length=200)


class AnswerPublic(BaseModel):
    id: str
    text: str
    doc_refs: list[str]
    author: str
    status: str
    created_at: datetime
    approved_by: str | None = None


class QuestionPublic(BaseModel):
    """A queued question; the asker is never shown, only whether they asked to be told."""

    id: str
    question: str
    context: str | None
    status: str
    created_at: datetime
    answered_at: datetime | None
    answer_doc_id: str | None
    wants_notice: bool
    answers: list[AnswerPublic]


class ApprovalPublic(BaseModel):
    question_id: str
    answer_id: str
    doc_id: str
    title: str
    resolved: bool
    notified: str | None


def _public(found: community.Thread) -> QuestionPublic:
    q = found.question
    return QuestionPublic(
        id=q.id, question=q.question, context=q.context, status=q.status, created_at=q.created_at,
        answered_at=q.answered_at, answer_doc_id=q.answer_doc_id, wants_notice=bool(q.notify),
        answers=[AnswerPublic.model_validate(a, from_attributes=True) for a in found.answers],
    )


@router.post("", response_model=QuestionPublic, status_code=201)
def hand_off(body: QuestionCreate, caller: LimitedMemberDep, service: ServiceDep) -> QuestionPublic:
    """Hand a question the documents could not answer to the community (asking twice returns the same one)."""
    try:
        row = community.hand_off(
            service.index.db, body.query_id, caller.pseudonym(body.client_id), caller.key_id, body.context, body.notify
        )
    except community.UnknownQuestion as exc:
        raise HTTPException(404, str(exc)) from None
    return _public(community.thread(service.index.db, row.id))


@router.get("", response_model=list[QuestionPublic])
def list_questions(
    caller: LimitedMemberDep,
    service: ServiceDep,
    status: Annotated[Literal["open", "answered", "closed"] | None, Query()] = None,
    client_id: Annotated[str | None, Query(max_length=64)] = None,
) -> list[QuestionPublic]:
    """Facilitators see the whole queue; a member sees only the questions they handed off."""
    asker = None if ROLE_RANK[caller.role] >= ROLE_RANK["facilitator"] else caller.pseudonym(client_id)
    return [_public(t) for t in community.threads(service.index.db, status, asker)]


@router.post("/{question_id}/answers", response_model=AnswerPublic, status_code=201)
def propose(question_id: str, body: AnswerCreate, caller: LimitedMemberDep, service: ServiceDep) -> AnswerPublic:
    visible = SearchFilter(role=caller.role).allowed(service.view.current().documents)
    if unknown := [d for d in body.doc_refs if d not in visible]:  # a document the caller may not see is unknown to them
        raise HTTPException(422, f"unknown document id(s) in doc_refs: {', '.join(unknown)}")
    try:
        answer = community.propose(service.index.db, question_id, body.text.strip(), body.doc_refs, body.author, caller.key_id)
    except community.UnknownQuestion as exc:
        raise HTTPException(404, str(exc)) from None
    except community.QuestionNotOpen as exc:
        raise HTTPException(409, str(exc)) from None
    return AnswerPublic.model_validate(answer, from_attributes=True)


@router.post("/{question_id}/answers/{answer_id}/approve", response_model=ApprovalPublic)
async def approve(
    question_id: str, answer_id: str, caller: FacilitatorDep, service: ServiceDep, body: Approve | None = None
) -> ApprovalPublic:
    """Approve an answer: it becomes a community-answers document, cited from the next ask on."""
    try:
        done = await run_in_threadpool(loop.approve, service, question_id, answer_id, (body or Approve()).approver)
    except community.UnknownQuestion as exc:
        raise HTTPException(404, str(exc)) from None
    except community.QuestionNotOpen as exc:
        raise HTTPException(409, str(exc)) from None
    return ApprovalPublic(question_id=question_id, answer_id=answer_id, **vars(done))


@router.post("/{question_id}/close", response_model=QuestionPublic)
def close(question_id: str, caller: FacilitatorDep, service: ServiceDep) -> QuestionPublic:
    """Take a question off the queue unanswered (out of scope, a duplicate)."""
    try:
        community.close(service.index.db, question_id)
    except community.UnknownQuestion as exc:
        raise HTTPException(404, str(exc)) from None
    except community.QuestionNotOpen as exc:
        raise HTTPException(409, str(exc)) from None
    return _public(community.thread(service.index.db, question_id))
