from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from peerassist.processes import wait_for_http
from tests.conftest import REPO, VENV_BIN, free_port, write_md

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
OUTPUT = REPO / "test-output"  # screenshots, to look at


@dataclass
class Api:
    client: TestClient
    keys: dict[str, str]
    kb: Path
    restricted: set[str]  # doc ids members must never see

    def headers(self, role: str = "member") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"}


def build_api(settings, kb: Path) -> Api:  # type: ignore[no-untyped-def]
    from peerassist.api.app import create_app
    from peerassist.ingest.pipeline import Ingestor
    from peerassist.keys import create_key
    from peerassist.store import KnowledgeIndex

    # Plain text keeps markup literally (Markdown parsing would drop raw HTML).
    (kb / "unsafe-page.txt").write_text(
        "Unsafe Page\n\nThe review board notes say <script>window.__xss=1</script> and "
        '<img src=x onerror="window.__xss=1"> were pasted into the minutes by mistake.\n'
    )
    write_md(kb / "start-here.md", "Start Here", "## Welcome\n\nThis guide shows new members where to begin.\n\n"
             "## When do newcomers meet the facilitators?\n\nNewcomers meet the facilitators at the welcome "
             "coffee on the first Thursday of each month.", tags=["onboarding"])
    assert not Ingestor(KnowledgeIndex(settings)).run([kb]).failed
    app = create_app(settings)
    db = app.state.service.index.db
    keys = {role: create_key(db, role)[1] for role in ("member", "facilitator", "admin")}
    keys["widget"] = create_key(db, "member", ["https://intranet.example.org"])[1]
    documents = app.state.service.view.current().documents
    restricted = {d for d, r in documents.items() if r.meta.get("visibility") != "member"}
    return Api(TestClient(app), keys, kb, restricted)


@pytest.fixture
def api(embedded_settings, kb) -> Api:  # type: ignore[no-untyped-def]
    return build_api(embedded_settings, kb)


def require_chromium() -> None:
    """Skip a browser test where Chromium is missing; fail instead in CI, which installs it."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("PEERASSIST_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; .ci/run installs it with apt-get")
        pytest.skip("Chromium is not installed (apt-get install chromium); CI requires it")
    OUTPUT.mkdir(exist_ok=True)


@contextmanager
def serve(settings, workers: int = 1) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """`peerassist serve` as a real process on loopback, until the test ends."""
    port = free_port()
    log = (settings.data_dir / "serve.log").open("w")
    process = subprocess.Popen(
        [str(VENV_BIN / "peerassist"), "serve", "--port", str(port), "--workers", str(workers)],
        env=os.environ | {"PEERASSIST_DATA_DIR": str(settings.data_dir)},
        stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    wait_for_http(f"{url}/healthz", process, 90, settings.data_dir / "serve.log")
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
