"""The FastAPI application: built from settings, so tests build one per test settings."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse, Response
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from peerassist.api.body_limits import BodySizeLimit
from peerassist.api.metrics import LATENCY, REQUESTS
from peerassist.api.routes import ask, dashboard, documents, feedback, health, insights, onboarding, questions, sources
from peerassist.ingest.uploads import MAX_FILES_PER_UPLOAD
from peerassist.onboarding.guide import OnboardingGuide
from peerassist.availability import RETRY_AFTER_SECONDS, failure_types, unavailable
from peerassist.settings import Settings
from peerassist.retriever.service import AnswerService

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"


@asynccontextmanager
async def _warm_at_start(app: FastAPI) -> AsyncIterator[None]:
    """A served app loads its index, model and spaCy before the first request, not during the first rush
    (that one-time load under 20 concurrent requests was the load benchmark's multi-second p99)."""
    try:
        await run_in_threadpool(app.state.service.warm)
    except Exception as exc:  # noqa: BLE001 - a store that is down must not stop the server; /readyz says why
        log.warning("warm-up skipped: %s", exc)
    yield


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(
        title="Peer Assist",
        description="Answers from a community's own documents, with citations.",
        version="0.1.0",
        lifespan=_warm_at_start,
    )
    app.state.settings = settings
    app.state.service = AnswerService(settings)
    app.state.onboarding = OnboardingGuide(app.state.service)
    app.state.rate_limiter = MovingWindowRateLimiter(storage_from_string(settings.rate_limit_storage))
    app.state.rate_limit_item = parse(settings.rate_limit)
    # Any site may call the API from a browser; which site a key may be used from is the key's
    # allowed origins, checked per request (api.deps.get_caller).
    # Upload cap: the per-file cap for each of a few files, plus the multipart framing.
    app.add_middleware(BodySizeLimit, upload_limit=settings.max_file_bytes * MAX_FILES_PER_UPLOAD + 64 * 1024)
    app.add_middleware(
        CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "DELETE"],
        allow_headers=["Authorization", "Content-Type"],
    )

    @app.middleware("http")
    async def measure(request: Request, call_next):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        response = await call_next(request)
        route = getattr(request.scope.get("route"), "path", "unmatched")
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        LATENCY.labels(route).observe(time.perf_counter() - started)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}" for e in exc.errors()]
        return JSONResponse(status_code=422, content={"detail": "; ".join(problems)})

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse(status_code=exc.status_code, content={"detail": exc.detail}, headers=exc.headers)

    async def dependency_down(_: Request, exc: Exception) -> JSONResponse:
        """503 naming what is down, with Retry-After; anything else is a 500 with the details in the log."""
        problem = unavailable(exc, settings)
        if problem is None:
            log.exception("unhandled error", exc_info=exc)
            return JSONResponse(status_code=500, content={"detail": "internal error; see the server log"})
        log.warning("dependency unavailable: %s", problem)
        return JSONResponse(status_code=503, content={"detail": problem}, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})

    # Specific classes, so the handler answers (the catch-all Exception handler would re-raise after it).
    for failure in failure_types():
        app.add_exception_handler(failure, dependency_down)

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return JSONResponse(status_code=500, content={"detail": "internal error; see the server log"})

    for module in (ask, dashboard, feedback, documents, health, insights, onboarding, questions, sources):
        app.include_router(module.router)

    @app.get("/widget.js", include_in_schema=False)
    def widget() -> FileResponse:
        return FileResponse(STATIC / "widget.js", media_type="text/javascript")

    @app.get("/", include_in_schema=False)
    def demo() -> Response:
        page = (STATIC / "demo.html").read_text(encoding="utf-8")
        return Response(page.replace("{{WIDGET_KEY}}", demo_widget_key(settings, app.state.service)), media_type="text/html")

    return app


def demo_widget_key(settings: Settings, service: AnswerService) -> str:
    """The member key the demo page embeds, created once and kept in the data dir."""
    from peerassist.keys import create_key, find_key

    path = settings.data_dir / "demo-widget.key"
    if path.exists():
        token = path.read_text(encoding="utf-8").strip()
        if find_key(service.index.db, token):
            return token
    _, token = create_key(service.index.db, "member")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(token + "\n", encoding="utf-8")
    path.chmod(0o600)
    return token
