"""A crash or kill in the middle of an ingest leaves an index the next run repairs to the clean state."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from peerassist.ingest.pipeline import Ingestor
from peerassist.retriever.base import Query
from peerassist.retriever.retrievers import DenseRetriever
from peerassist.retriever.view import KnowledgeView
from peerassist.settings import Settings
from peerassist.store import Generation, KnowledgeIndex
from tests.conftest import write_md

WORDS = "clinic triage model audit consent dataset nurse radiology safety pilot governance bias".split()


def state(settings: Settings) -> tuple[dict[str, str], list[str]]:
    generation = KnowledgeIndex(settings).generation()
    return {d: r.doc_hash for d, r in generation.documents().items()}, sorted(generation.chunk_ids())


def make_corpus(root: Path, files: int) -> Path:
    root.mkdir()
    for i in range(files):
        paragraphs = [" ".join(WORDS[(i * 7 + j * 3 + k) % len(WORDS)] for k in range(30)) + "." for j in range(2)]
        (root / f"note-{i:03d}.txt").write_text(f"Note {i}\n\n" + "\n\n".join(paragraphs) + "\n")
    return root


def registry_count(database: Path) -> int:
    try:
        with sqlite3.connect(database, timeout=1) as connection:
            return int(connection.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_kill_9_mid_ingest_then_rerun_equals_a_clean_run(tmp_path, model):  # type: ignore[no-untyped-def]
    corpus = make_corpus(tmp_path / "corpus", files=600)
    killed = Settings(data_dir=tmp_path / "killed")
    process = subprocess.Popen(
        [sys.executable, "-m", "peerassist.cli", "ingest", str(corpus), "--json"],
        env=os.environ | {"PEERASSIST_DATA_DIR": str(killed.data_dir)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    database = killed.data_dir / "peerassist.db"
    deadline = time.monotonic() + 240
    while (count := registry_count(database)) == 0 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 0 < count < 600, f"the kill did not land mid-ingest ({count} documents committed)"

    rerun = Ingestor(KnowledgeIndex(killed), model=model).run([corpus])
    clean = Settings(data_dir=tmp_path / "clean")
    Ingestor(KnowledgeIndex(clean), model=model).run([corpus])

    assert rerun.failed == [] and rerun.unchanged >= count - 1
    assert state(killed) == state(clean)


def _crash(*_args: object, **_kwargs: object) -> None:
    raise KeyboardInterrupt("simulated crash")


@pytest.mark.parametrize(
    "window",
    ["after new chunks, before the registry switch", "after the registry switch, before old chunks go"],
)
def test_crash_inside_a_document_replacement_is_repaired(settings, kb, model, monkeypatch, window):  # type: ignore[no-untyped-def]
    Ingestor(KnowledgeIndex(settings), model=model).run([kb])
    write_md(kb / "charter.md", "Charter", "## Meetings\n\nWe now meet on Thursdays in the Lister Room.")
    if window.startswith("after new chunks"):
        monkeypatch.setattr("peerassist.store.Generation._bump_version", _crash)
    else:
        monkeypatch.setattr(Generation, "_delete_where", _crash)

    with pytest.raises(KeyboardInterrupt):
        Ingestor(KnowledgeIndex(settings), model=model).run([kb])
    monkeypatch.undo()

    # Readers never see the mix: the dense retriever, reading a snapshot, returns only the live version's chunks.
    snapshot = KnowledgeView(KnowledgeIndex(settings)).current()
    hits = DenseRetriever().retrieve(Query("where do we meet", snapshot, model), k=20)
    live = {d: r.doc_hash for d, r in snapshot.generation.documents().items()}
    assert all(live[h.metadata["doc_id"]] == h.metadata["doc_hash"] for h in hits)
    assert ("Room 4B" in " ".join(h.text for h in hits)) == window.startswith("after new chunks")

    Ingestor(KnowledgeIndex(settings), model=model).run([kb])
    clean = settings.model_copy(update={"data_dir": settings.data_dir.parent / "clean", "collection": settings.collection + "-clean"})
    Ingestor(KnowledgeIndex(clean), model=model).run([kb])
    assert state(settings) == state(clean)
