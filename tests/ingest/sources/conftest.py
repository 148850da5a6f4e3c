from __future__ import annotations

from pathlib import Path

import pytest

from peerassist.ingest.sources.config import SourceSpec
from peerassist.ingest.sources.sync import sync_source
from peerassist.settings import Settings
from peerassist.store import KnowledgeIndex


def documents(settings: Settings) -> dict[str, dict]:
    """title -> registry meta (plus `hash`), for every live document."""
    rows = KnowledgeIndex(settings).generation().documents().values()
    return {row.title: (row.meta or {}) | {"hash": row.doc_hash, "source": row.source} for row in rows}


def chunk_texts(settings: Settings) -> list[tuple[str, dict]]:
    stored = KnowledgeIndex(settings).generation().collection.get(include=["documents", "metadatas"])
    return list(zip(stored["documents"], stored["metadatas"], strict=True))


@pytest.fixture
def run_source(embedded_settings: Settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Sync one source declared inline; returns the recorded run."""

    def run(**declared: object):  # type: ignore[no-untyped-def]
        return sync_source(KnowledgeIndex(embedded_settings), SourceSpec.model_validate(declared), tmp_path)

    return run
