"""A real OpenAI-compatible chat server on loopback, streaming canned replies chunk by chunk.

It speaks `/v1/chat/completions` with `"stream": true` the way vLLM, llama.cpp and Ollama do
(Server-Sent Events of `chat.completion.chunk` objects, then `[DONE]`). Between chunks it can
wait on a gate the test opens, so a test proves the client sees the first tokens while the
rest of the reply has not been generated yet.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

from tests.conftest import free_port


@dataclass
class ChatServer:
    """Replies are served in order; `gate` (when given) holds back every chunk after the first."""

    replies: list[str]
    gate: threading.Event | None = None
    url: str = ""
    requests: list[dict] = field(default_factory=list)  # type: ignore[type-arg]
    chunks_sent: int = 0

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v1/chat/completions")
        async def completions(request: Request):  # type: ignore[no-untyped-def]
            body = await request.json()
            self.requests.append(body)
            reply = self.replies.pop(0)
            if not body.get("stream"):
                message = {"role": "assistant", "content": reply}
                return JSONResponse(_completion(body, {"message": message, "finish_reason": "stop"}, "chat.completion"))
            return StreamingResponse(self._chunks(body, reply), media_type="text/event-stream")

        return app

    async def _chunks(self, body: dict, reply: str) -> AsyncIterator[str]:  # type: ignore[type-arg]
        import asyncio

        words = reply.split(" ")
        for i, word in enumerate(words):
            if i == 1 and self.gate is not None:
                while not self.gate.is_set():  # the test opens it once it has seen the first chunk
                    await asyncio.sleep(0.01)
            delta = {"content": word + (" " if i < len(words) - 1 else "")}
            self.chunks_sent += 1
            yield f"data: {json.dumps(_completion(body, {'delta': delta, 'finish_reason': None}))}\n\n"
        yield f"data: {json.dumps(_completion(body, {'delta': {}, 'finish_reason': 'stop'}))}\n\n"
        yield "data: [DONE]\n\n"


def _completion(body: dict, choice: dict, kind: str = "chat.completion.chunk") -> dict:  # type: ignore[type-arg]
    return {"id": "chatcmpl-test", "object": kind, "created": 0, "model": body.get("model", "test"),
            "choices": [{"index": 0, **choice}]}


@contextmanager
def chat_server(replies: list[str], gate: threading.Event | None = None) -> Iterator[ChatServer]:
    server = ChatServer(list(replies), gate)
    port = free_port()
    uv = uvicorn.Server(uvicorn.Config(server.app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uv.started:
        assert time.monotonic() < deadline, "the test chat server did not start"
        time.sleep(0.02)
    server.url = f"http://127.0.0.1:{port}/v1"
    try:
        yield server
    finally:
        uv.should_exit = True
        thread.join(timeout=10)
