from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import write_md


@dataclass
class Api:
    client: TestClient
    keys: dict[str, str]
    kb: Path
    restricted: set[str]  # doc ids members must never see

    def headers(self, role: str = "member") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"}


def build_api(settings, kb: Path) -> Api:  # type: ignore[no-untyped-def]
    from api.app import create_app
    from ingest.pipeline import Ingestor
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
