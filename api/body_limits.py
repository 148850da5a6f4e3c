"""Request bodies are capped before anyone parses them, and a large body needs a valid key first.

FastAPI reads a route's JSON or form body before its dependencies run, so without this a
caller with no key could make the server hold a 200 MB JSON document in memory. Limits are by
route: small JSON bodies everywhere, the upload cap on the upload route (whose multipart
parser spools to disk), which also checks the key before the first byte is read.
"""

from __future__ import annotations

from fastapi import HTTPException
from fastapi.concurrency import run_in_threadpool
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from peerassist.api.deps import bearer_token
from peerassist.keys import find_key

JSON_BODY_LIMIT = 64 * 1024  # a question is at most a few KB; nothing but uploads needs more
UPLOAD_PATHS = frozenset({"/api/documents"})


class BodyTooLarge(HTTPException):
    """An HTTPException, so FastAPI's body parsing passes it through as the 413 it is."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body is larger than the {limit:,}-byte limit for this endpoint")


class BodySizeLimit:
    def __init__(self, app: ASGIApp, upload_limit: int) -> None:
        self.app = app
        self.upload_limit = upload_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        upload = scope["path"].rstrip("/") in UPLOAD_PATHS
        limit = self.upload_limit if upload else JSON_BODY_LIMIT
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(scope, receive, send, BodyTooLarge(limit))
            return
        if upload and not await _known_key(scope, headers.get("authorization", "")):
            await _refuse(scope, receive, send, HTTPException(401, "a valid API key is needed before an upload is read"))
            return
        await self.app(scope, _counting(receive, limit), send)


def _counting(receive: Receive, limit: int) -> Receive:
    """The body as it arrives, stopped at `limit` bytes whatever Content-Length claimed (or if absent)."""
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
        return message

    return counted


async def _known_key(scope: Scope, authorization: str) -> bool:
    token = bearer_token(authorization)
    if token is None:
        return False
    return await run_in_threadpool(find_key, scope["app"].state.service.index.db, token) is not None


async def _refuse(scope: Scope, receive: Receive, send: Send, error: HTTPException) -> None:
    """Answer without reading the body; the server closes the connection rather than drain it."""
    response = JSONResponse({"detail": error.detail}, status_code=error.status_code, headers={"Connection": "close"})
    await response(scope, receive, send)
