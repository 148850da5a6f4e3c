"""Running a declared source: fetch into its folder, ingest that folder with `sync`, record the run.

One source at a time per name (a lock file beside its folder); the ingest itself takes the
ingest lock like any other, so answering never waits on a fetch. A source that fails as a
whole (site down, bad zip) is recorded as failed and keeps its last good documents.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from filelock import FileLock

from peerassist.db import SourceRun, utcnow
from peerassist.ingest.pipeline import Ingestor
from peerassist.ingest.sources.config import SourceSpec
from peerassist.ingest.sources.mbox import mbox_documents
from peerassist.ingest.sources.mirror import Mirror, SourceFailed
from peerassist.ingest.sources.slack import slack_documents
from peerassist.ingest.sources.web import WebCrawler
from peerassist.source_runs import latest_runs, record_run
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
        with FileLock(str(sources_dir / f".{spec.name}.lock")):
            folder = _fetch(spec, base, sources_dir, counts, errors)
            report = Ingestor(index, defaults=_defaults(spec)).run([folder], sync=True)
        counts |= {k: getattr(report, k) for k in ("added", "updated", "unchanged", "deleted")}
        counts["documents"] = sum(1 for row in index.generation().documents().values() if Path(row.source).is_relative_to(folder))
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
        finished = run.finished_at if run is None or run.finished_at.tzinfo else run.finished_at.replace(tzinfo=now.tzinfo)
        if run is None or now - finished >= spec.interval:
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
            state_file = sources_dir / ".state" / f"{spec.name}.json"
            state = json.loads(state_file.read_text()) if state_file.is_file() else {}
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
        state_file.write_text(json.dumps(state, indent=1, sort_keys=True))
    return mirror.root


def source_status(index: KnowledgeIndex, sources: list[SourceSpec]) -> list[dict[str, Any]]:
    """Each declared source with its last run (what `peerassist sources` and `/api/sources` show)."""
    last = latest_runs(index.db)
    scheduled = {spec.name for spec in due(index, sources)}
    return [
        {
            "name": spec.name,
            "kind": spec.kind,
            "location": spec.location,
            "every": spec.every,
            "due": spec.name in scheduled,
            "last_run": _run_summary(last[spec.name]) if spec.name in last else None,
        }
        for spec in sources
    ]


def _run_summary(run: SourceRun) -> dict[str, Any]:
    return {
        "started_at": run.started_at.isoformat(timespec="seconds"),
        "finished_at": run.finished_at.isoformat(timespec="seconds"),
        "ok": run.ok,
        "counts": run.counts,
        "errors": run.errors,
    }
