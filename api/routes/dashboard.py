"""The facilitator dashboard: a page that asks for a key, and the digest it loads with it.

A browser cannot send an Authorization header when it navigates, so `/dashboard` opened in a
browser is a page without data that asks for a facilitator key (kept in the tab's
sessionStorage, never in a URL) and loads `/dashboard/digest` with it. Called with a key in
the header (a script, `curl -H`), `/dashboard` comes back filled in.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse

from peerassist.api.deps import FacilitatorDep, ServiceDep, SinceDays, get_caller, get_db, require
from peerassist.insights.digest import build, render_dashboard_body, render_dashboard_page

router = APIRouter(include_in_schema=False)
STATIC = Path(__file__).resolve().parents[1] / "static"


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(request: Request, service: ServiceDep, since: SinceDays) -> HTMLResponse:
    if "authorization" not in request.headers:
        return HTMLResponse(render_dashboard_page(None))
    require("facilitator")(get_caller(request, get_db(request)))
    digest = await run_in_threadpool(build, service, since)
    return HTMLResponse(render_dashboard_page(digest))


@router.get("/dashboard/digest", response_class=HTMLResponse)
async def digest(caller: FacilitatorDep, service: ServiceDep, since: SinceDays) -> HTMLResponse:
    digest = await run_in_threadpool(build, service, since)
    return HTMLResponse(render_dashboard_body(digest))


@router.get("/dashboard.js")
def script() -> FileResponse:
    return FileResponse(STATIC / "dashboard.js", media_type="text/javascript")
