"""The parse worker: started ahead of the first file, and parsing every format without torch."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerassist.ingest.parse_worker import ParseWorker
from peerassist.ingest.parsing import SUPPORTED_SUFFIXES

SAMPLE_KB = Path(__file__).resolve().parents[2] / "examples" / "knowledge-base"


@pytest.fixture
def worker():  # type: ignore[no-untyped-def]
    started = ParseWorker()
    yield started
    started.stop()


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads the worker's memory map from /proc (Linux)")
def test_every_sample_format_parses_in_a_worker_that_never_loads_torch(worker: ParseWorker) -> None:
    files = sorted(p for p in SAMPLE_KB.rglob("*") if p.suffix.lower() in SUPPORTED_SUFFIXES)
    assert {p.suffix.lower() for p in files} >= {".md", ".pdf", ".docx", ".pptx", ".html", ".csv", ".txt"}
    for path in files:
        parsed = worker.parse(path, path.read_bytes(), budget_s=60)
        assert parsed.elements, path.name
    assert worker._process is not None
    maps = Path(f"/proc/{worker._process.pid}/maps").read_text()
    # spaCy's thinc imports torch when it can (about 1 s of the worker's start); the worker needs none of it.
    assert "libtorch" not in maps


def test_a_started_worker_is_the_one_that_parses_and_a_stopped_one_restarts(worker: ParseWorker, tmp_path: Path) -> None:
    document = tmp_path / "note.md"
    document.write_text("# Note\n\nThe parser was started before it was needed. It still answers.\n")
    worker.start()
    worker.start()  # a second start while the first is still importing is no second process
    assert worker._process is not None
    first = worker._process.pid
    assert worker.parse(document, document.read_bytes(), budget_s=60).elements
    assert worker._process.pid == first
    worker.stop()
    assert worker.parse(document, document.read_bytes(), budget_s=60).elements
    assert worker._process.pid != first


def test_a_worker_whose_pipes_are_numbered_past_1024_still_parses(worker: ParseWorker, tmp_path: Path) -> None:
    """select() refuses descriptors from 1024 up: a server with many connections open would stop parsing."""
    import os
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip(f"the open-files limit ({hard}) is too low to reach descriptor 1024")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200), hard))
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        document = tmp_path / "note.md"
        document.write_text("# Note\n\nThe parser reads this. It still answers.\n")
        assert worker.parse(document, document.read_bytes(), budget_s=60).elements
        assert worker._process is not None and worker._process.stdout is not None
        assert worker._process.stdout.fileno() >= 1024
    finally:
        for descriptor in held:
            os.close(descriptor)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
