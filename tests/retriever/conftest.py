from __future__ import annotations

from pathlib import Path

from tests.conftest import write_md


def ingest(settings, *paths: Path, sync: bool = True):  # type: ignore[no-untyped-def]
    from peerassist.ingest.pipeline import Ingestor
    from peerassist.store import KnowledgeIndex

    report = Ingestor(KnowledgeIndex(settings)).run(list(paths), sync=sync)
    assert not report.failed, report.failed
    return report


def service_over(tmp_path: Path, *documents: tuple[str, str, str] | tuple[str, str, str, dict[str, object]]):  # type: ignore[no-untyped-def]
    """(settings, a service) over a knowledge base of the given (file name, title, Markdown body[, front-matter])
    documents."""
    from peerassist.retriever.service import AnswerService
    from peerassist.settings import Settings

    kb = tmp_path / "kb"
    kb.mkdir(parents=True)
    for name, title, body, *front in documents:
        write_md(kb / name, title, body, **(front[0] if front else {}))
    settings = Settings(data_dir=tmp_path / "data")
    ingest(settings, kb)
    return settings, AnswerService(settings, log_queries=False)
