"""Running a declared source: fetch into its folder, ingest that folder with `sync`, record the run.

One source at a time per name (a lock file beside its folder); the ingest itself takes the
ingest lock like any other, so answering never waits on a fetch. A source that fails as a
whole (site down, bad zip) is recorded as failed and keeps its last good documents.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from filelock import FileLock
from pydantic import BaseModel

from peerassist.db import SourceRun, utcnow
from peerassist.ingest.pipeline import Ingestor
from peerassist.ingest.sources.config import SourceSpec, load_sources
from peerassist.ingest.sources.mbox import mbox_documents
from peerassist.ingest.sources.mirror import Mirror, SourceFailed
from peerassist.ingest.sources.slack import slack_documents
from peerassist.ingest.sources.web import WebCrawler
from peerassist.source_runs import latest_runs, record_run
from peerassist.settings import Settings
from peerassist.store import KnowledgeIndex

log = logging.getLogger(__name__)


def sync_source(index: KnowledgeIndex, spec: SourceSpec, base: Path) -> SourceRun:
    """Fetch and ingest one source; the run is recorded whatever happens (and returned)."""
    started = utcnow()
    counts: dict[str, Any] = {}
    errors: list[dict[str, str]] = []
    ok = True
    try:
        sources_dir = index.settings.sources_dir
        sources_dir.mkdir(parents=True, exist_ok=True)
        with _source_lock(sources_dir, spec.name):
            folder = _fetch(spec, base, sources_dir, counts, errors)
            report = Ingestor(index, defaults=_defaults(spec)).run([folder], sync=True)
        counts |= {k: getattr(report, k) for k in ("added", "updated", "unchanged", "deleted")}
        counts["documents"] = len(_documents_under(index, folder))
        errors += [{"item": Path(f.path).name, "error": f.error, "kind": "failed"} for f in report.failed]
    except SourceFailed as exc:
        ok = False
        errors.insert(0, {"item": spec.location, "error": str(exc), "kind": "source"})
    except Exception as exc:  # noqa: BLE001 - a store or database failure is this run's failure, recorded
        log.exception("sync of source %s failed", spec.name)
        ok = False
        errors.insert(0, {"item": spec.location, "error": f"{type(exc).__name__}: {str(exc)[:300]}", "kind": "source"})
    run = SourceRun(name=spec.name, kind=spec.kind, started_at=started, finished_at=utcnow(), ok=ok, counts=counts, errors=errors)
    record_run(index.db, run)
    return run


def due(index: KnowledgeIndex, sources: list[SourceSpec], now: datetime | None = None) -> list[SourceSpec]:
    """Scheduled sources whose last run is older than their interval (or that never ran)."""
    now = now or utcnow()
    last = latest_runs(index.db)
    result = []
    for spec in sources:
        if spec.interval is None:
            continue
        run = last.get(spec.name)
        if run is None:
            result.append(spec)
            continue
        finished = run.finished_at if run.finished_at.tzinfo else run.finished_at.replace(tzinfo=now.tzinfo)  # SQLite drops it
        if now - finished >= spec.interval:
            result.append(spec)
    return result


def _defaults(spec: SourceSpec) -> dict[str, object]:
    defaults: dict[str, object] = {"source_name": spec.name}
    if spec.audience:
        defaults["audience"] = spec.audience
    if spec.tags:
        defaults["tags"] = spec.tags
    return defaults


def _fetch(spec: SourceSpec, base: Path, sources_dir: Path, counts: dict[str, Any], errors: list[dict[str, str]]) -> Path:
    """The folder to ingest: the declared folder itself, or the source's mirror with a fresh fetch swapped in."""
    if spec.kind == "folder":
        folder = spec.local_path(base)
        if not folder.is_dir():
            raise SourceFailed(f"folder not found: {folder}")
        return folder
    mirror = Mirror(sources_dir / spec.name)
    staging = mirror.stage()
    try:
        if spec.kind == "web":
            state_file = _state_file(sources_dir, spec.name)
            state = _read_state(state_file)
            crawler = WebCrawler(spec.location, spec.web, staging, state, errors)
            crawler.crawl()
            counts |= vars(crawler.counts)
        else:
            reader = (
                slack_documents(spec.local_path(base), tags=spec.tags, link_base=spec.url, errors=errors)
                if spec.kind == "slack"
                else mbox_documents(spec.local_path(base), tags=spec.tags, errors=errors)
            )
            for document in reader:
                staging.write(document)
        staging.commit()
    except BaseException:
        staging.discard()
        raise
    if spec.kind == "web":
        state_file.parent.mkdir(parents=True, exist_ok=True)
        partial = state_file.with_suffix(".json.partial")
        partial.write_text(json.dumps(state, indent=1, sort_keys=True))
        os.replace(partial, state_file)  # never a half-written state
    return mirror.root


def _read_state(path: Path) -> dict[str, Any]:
    """The last crawl's per-page state; unreadable means a full crawl, not a failed source."""
    try:
        state = json.loads(path.read_text()) if path.is_file() else {}
    except (OSError, ValueError):
        log.warning("crawl state %s is unreadable; crawling everything again", path)
        return {}
    return state if isinstance(state, dict) else {}


class RunSummary(BaseModel):
    started_at: datetime
    finished_at: datetime
    ok: bool
    counts: dict[str, int]
    errors: list[dict[str, str]]  # {"item", "error", "kind": source | failed | skipped}


class SourceStatus(BaseModel):
    name: str
    kind: str
    location: str
    every: str | None
    due: bool
    last_run: RunSummary | None


def source_status(index: KnowledgeIndex, sources: list[SourceSpec]) -> list[SourceStatus]:
    """Each declared source with its last run (`peerassist sources`, `/api/sources`, the dashboard)."""
    last = latest_runs(index.db)
    scheduled = {spec.name for spec in due(index, sources)}
    return [
        SourceStatus(
            name=spec.name, kind=spec.kind, location=spec.location, every=spec.every, due=spec.name in scheduled,
            last_run=RunSummary.model_validate(last[spec.name], from_attributes=True) if spec.name in last else None,
        )
        for spec in sources
    ]


def run_schedules(
    settings: Settings, stop: threading.Event, after: Callable[[SourceRun], None] | None = None, poll_s: float = 30.0
) -> None:
    """Run due sources one at a time until `stop` is set (`serve --sync`); `after` sees each run that changed something.

    The file is read again on every round, so an edited sources.yaml takes effect without a restart.
    """
    index = KnowledgeIndex(settings)
    while not stop.is_set():
        try:
            declared, base = load_sources(settings.sources)
            for spec in due(index, declared):
                if stop.is_set():
                    break
                run = sync_source(index, spec, base)
                log.info("synced source %s: %s %s", spec.name, "ok" if run.ok else "FAILED", run.counts)
                if after and any(run.counts.get(k) for k in ("added", "updated", "deleted")):
                    after(run)
        except Exception:  # noqa: BLE001 - the scheduler outlives any one bad round (a broken sources.yaml, say)
            log.exception("scheduled sync round failed")
        stop.wait(poll_s)


def undeclared(index: KnowledgeIndex, sources: list[SourceSpec]) -> list[str]:
    """Source folders left by sources no longer declared (removed or renamed): their documents still answer."""
    root = index.settings.sources_dir
    declared = {spec.name for spec in sources}
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name not in declared) if root.is_dir() else []


def prune_undeclared(index: KnowledgeIndex, sources: list[SourceSpec]) -> dict[str, int]:
    """Remove the documents and folders of sources no longer declared; documents removed per source."""
    removed = {}
    sources_dir = index.settings.sources_dir
    for name in undeclared(index, sources):
        folder = sources_dir / name
        with _source_lock(sources_dir, name):
            removed[name] = index.generation().delete_documents(_documents_under(index, folder))
            shutil.rmtree(folder, ignore_errors=True)
            _state_file(sources_dir, name).unlink(missing_ok=True)
    return removed


def _source_lock(sources_dir: Path, name: str) -> FileLock:
    """One sync (or prune) of a source at a time."""
    return FileLock(str(sources_dir / f".{name}.lock"))


def _state_file(sources_dir: Path, name: str) -> Path:
    """A web source's per-page crawl state (ETags, links), kept beside its folder."""
    return sources_dir / ".state" / f"{name}.json"


def _documents_under(index: KnowledgeIndex, folder: Path) -> list[str]:
    return [doc_id for doc_id, row in index.generation().documents().items() if Path(row.source).is_relative_to(folder)]
