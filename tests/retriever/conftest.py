from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_KB


@pytest.fixture(scope="session")
def sample_settings(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The sample knowledge base ingested once (embedded store) for the answering tests."""
    from ingest.pipeline import Ingestor
    from peerassist.settings import Settings
    from peerassist.store import KnowledgeIndex

    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(SAMPLE_KB, root / "kb")
    settings = Settings(data_dir=root / "data")
    report = Ingestor(KnowledgeIndex(settings)).run([root / "kb"])
    assert not report.failed
    return settings


@pytest.fixture(scope="session")
def sample_service(sample_settings):  # type: ignore[no-untyped-def]
    from retriever.service import AnswerService

    return AnswerService(sample_settings)


def ingest(settings, *paths: Path, sync: bool = True):  # type: ignore[no-untyped-def]
    from ingest.pipeline import Ingestor
    from peerassist.store import KnowledgeIndex

    report = Ingestor(KnowledgeIndex(settings)).run(list(paths), sync=sync)
    assert not report.failed, report.failed
    return report
