"""Dependencies injected into routes: settings, the answer service, the records DB, the caller's key."""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request

from peerassist.roles import ROLE_RANK
from peerassist.insights.period import parse_days
from peerassist.db import Database
from peerassist.keys import find_key, touch_key
from peerassist.settings import Settings
from peerassist.retriever.service import AnswerService


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_service(request: Request) -> AnswerService:
    return request.app.state.service


def get_db(request: Request) -> Database:
    return request.app.state.service.index.db


@dataclass(frozen=True)
class Caller:
    key_id: str
    role: str

    def pseudonym(self, client_id: str | None) -> str:
        """A stable asker id that names no one: the key plus the widget's anonymous session id."""
        return hashlib.sha256(f"{self.key_id}:{client_id or ''}".encode()).hexdigest()[:16]


def bearer_token(authorization: str) -> str | None:
    """The key in an `Authorization: Bearer KEY` header, or None."""
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def get_caller(request: Request, db: Annotated[Database, Depends(get_db)]) -> Caller:
    token = bearer_token(request.headers.get("authorization", ""))
    if token is None:
        raise HTTPException(401, "missing API key: send 'Authorization: Bearer KEY'")
    key = find_key(db, token)
    if key is None:
        raise HTTPException(401, "unknown or revoked API key")
    # A key with origins is a widget key, public in a page's source: it works only from a browser on
    # those sites. Browsers always send Origin on the widget's cross-site calls; a request with
    # none (curl, a script) could come from anyone who copied the key, so it is refused.
    origin = request.headers.get("origin")
    if key.origins and not origin:
        raise HTTPException(403, "this key is limited to its sites' pages; the request has no Origin header")
    if key.origins and origin and origin.rstrip("/") not in key.origins:
        raise HTTPException(403, f"this key is not allowed from origin {origin}")
    touch_key(db, key)
    request.state.key_id = key.id
    return Caller(key.id, key.role)


def require(role: str):  # type: ignore[no-untyped-def]
    """A dependency that admits callers whose role is at least `role`."""

    def check(caller: Annotated[Caller, Depends(get_caller)]) -> Caller:
        if ROLE_RANK[caller.role] < ROLE_RANK[role]:
            raise HTTPException(403, f"this needs the {role} role; the key has {caller.role}")
        return caller

    return check


def since_days(since: Annotated[str, Query(description="the period: a number of days, like 30d")] = "30d") -> int:
    try:
        return parse_days(since)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None


SettingsDep = Annotated[Settings, Depends(get_settings)]
ServiceDep = Annotated[AnswerService, Depends(get_service)]
DatabaseDep = Annotated[Database, Depends(get_db)]
MemberDep = Annotated[Caller, Depends(require("member"))]
FacilitatorDep = Annotated[Caller, Depends(require("facilitator"))]
AdminDep = Annotated[Caller, Depends(require("admin"))]
SinceDays = Annotated[int, Depends(since_days)]


def rate_limited(request: Request, caller: Annotated[Caller, Depends(get_caller)]) -> Caller:
    """Per-key rate limit (the `limits` library, as slowapi uses); 429 names the limit."""
    limiter, item = request.app.state.rate_limiter, request.app.state.rate_limit_item
    if not limiter.hit(item, "key", caller.key_id):
        reset_at = limiter.get_window_stats(item, "key", caller.key_id).reset_time
        raise HTTPException(
            429, f"rate limit exceeded: {request.app.state.settings.rate_limit} per key",
            headers={"Retry-After": str(max(1, math.ceil(reset_at - time.time())))},
        )
    return caller


LimitedMemberDep = Annotated[Caller, Depends(rate_limited)]
