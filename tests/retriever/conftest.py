from __future__ import annotations

from pathlib import Path


def ingest(settings, *paths: Path, sync: bool = True):  # type: ignore[no-untyped-def]
    from peerassist.ingest.pipeline import Ingestor
    from peerassist.store import KnowledgeIndex

    report = Ingestor(KnowledgeIndex(settings)).run(list(paths), sync=sync)
    assert not report.failed, report.failed
    return report
