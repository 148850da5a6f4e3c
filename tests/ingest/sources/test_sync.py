"""sources.yaml, `peerassist sync` / `sources`, the schedule and `/api/sources`."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta

import pytest
from typer.testing import CliRunner

from peerassist.cli import app
from peerassist.db import utcnow
from peerassist.ingest.sources.config import SourcesError, load_sources
from peerassist.ingest.sources.sync import due, run_schedules, source_status, sync_source
from peerassist.source_runs import latest_runs
from peerassist.store import KnowledgeIndex
from tests.api.conftest import build_api
from tests.conftest import write_md
from tests.ingest.sources.conftest import documents
from tests.ingest.sources.test_slack import write_export

runner = CliRunner()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("sources: [", "malformed YAML"),
        ("sources:\n  - {name: chat, kind: teams, location: x.zip}", "sources.0.kind"),
        ("sources:\n  - {name: Chat Room, kind: slack, location: x.zip}", "must be lower-case letters"),
        ("sources:\n  - {name: a, kind: folder, location: docs}\n  - {name: a, kind: mbox, location: l.mbox}", "source name a declared twice"),
        ("sources:\n  - {name: a, kind: folder, location: docs, every: weekly}", 'like "30m", "6h" or "1d"'),
        ("sources:\n  - {name: a, kind: folder}", "sources.0.location: Field required"),
    ],
)
def test_a_bad_sources_file_is_named_in_one_line(tmp_path, text, problem) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "sources.yaml"
    path.write_text(text)
    with pytest.raises(SourcesError, match=problem.replace("(", r"\(")):
        load_sources(path)


def declare(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A folder source with defaults and a Slack export, declared in a sources.yaml beside them."""
    folder = tmp_path / "handbook"
    folder.mkdir()
    write_md(folder / "parking.md", "Staff parking", "## Permits\n\nParking permits for night staff are issued by Facilities on level 2.")
    write_export(tmp_path / "export.zip")
    (tmp_path / "sources.yaml").write_text(
        "sources:\n"
        "  - {name: handbook, kind: folder, location: handbook, tags: [handbook], audience: [facilitators], every: 6h}\n"
        "  - {name: chat, kind: slack, location: export.zip}\n"
    )
    monkeypatch.setenv("PEERASSIST_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PEERASSIST_SOURCES", str(tmp_path / "sources.yaml"))


def test_sync_runs_the_declared_sources_and_sources_lists_their_last_run(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    declare(tmp_path, monkeypatch)

    result = runner.invoke(app, ["sync", "--json"])

    assert result.exit_code == 0, result.output
    runs = {run["name"]: run for run in json.loads(result.output.splitlines()[0])}
    assert runs["handbook"]["ok"] and runs["handbook"]["counts"]["added"] == 1
    assert runs["chat"]["ok"] and runs["chat"]["counts"]["documents"] == 2
    listed = json.loads(runner.invoke(app, ["sources", "--json"]).output)
    assert [(s["name"], s["kind"], s["every"], s["last_run"]["ok"]) for s in listed] == [
        ("handbook", "folder", "6h", True), ("chat", "slack", None, True),
    ]
    from peerassist.settings import Settings

    parking = documents(Settings())["Staff parking"]
    assert parking["visibility"] == "facilitator"  # the declared default audience
    assert parking["tags"] == ["test"]  # the document's own front-matter wins over the declared default
    assert parking["source_name"] == "handbook"

    again = runner.invoke(app, ["sync", "chat"])
    assert again.exit_code == 0 and "chat: ok" in again.output and "unchanged 2" in again.output


def test_sync_exits_1_when_a_source_fails_and_2_for_an_unknown_name(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    declare(tmp_path, monkeypatch)
    (tmp_path / "export.zip").write_bytes(b"not a zip")

    failed = runner.invoke(app, ["sync"])
    assert failed.exit_code == 1
    assert "chat: FAILED" in failed.output and "not a readable zip file" in failed.output
    assert "handbook: ok" in failed.output  # one failing source does not stop the others

    unknown = runner.invoke(app, ["sync", "wiki"])
    assert unknown.exit_code == 2 and "unknown source wiki; declared: handbook, chat" in unknown.output


def test_a_rebuild_keeps_the_declared_defaults(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    declare(tmp_path, monkeypatch)
    assert runner.invoke(app, ["sync", "handbook"]).exit_code == 0

    assert runner.invoke(app, ["ingest", "--rebuild", str(tmp_path / "handbook")]).exit_code == 0

    from peerassist.settings import Settings

    assert documents(Settings())["Staff parking"]["visibility"] == "facilitator"
    # A plain ingest of the same folder, after an edit, keeps what its source declared too.
    write_md(tmp_path / "handbook" / "parking.md", "Staff parking", "Night staff parking permits come from Facilities on level 3.")
    assert runner.invoke(app, ["ingest", str(tmp_path / "handbook")]).exit_code == 0
    assert documents(Settings())["Staff parking"]["visibility"] == "facilitator"


def test_due_sources_and_the_scheduler(embedded_settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "handbook"
    folder.mkdir()
    write_md(folder / "parking.md", "Staff parking", "Parking permits for night staff are issued by Facilities.")
    (tmp_path / "sources.yaml").write_text("sources:\n  - {name: handbook, kind: folder, location: handbook, every: 1h}\n"
                                           "  - {name: manual, kind: folder, location: handbook}\n")
    settings = embedded_settings.model_copy(update={"sources": tmp_path / "sources.yaml"})
    index = KnowledgeIndex(settings)
    declared, base = load_sources(settings.sources)
    assert [s.name for s in due(index, declared)] == ["handbook"]  # never ran; "manual" has no schedule

    stop, seen = threading.Event(), []
    thread = threading.Thread(target=run_schedules, args=(settings, stop, seen.append, 0.05))
    thread.start()
    deadline = time.monotonic() + 60
    while "handbook" not in latest_runs(index.db) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)  # several more rounds: the source is not due again within the hour
    stop.set()
    thread.join(timeout=30)

    assert [run.name for run in seen] == ["handbook"]
    assert due(index, declared) == []
    assert [s.name for s in due(index, declared, utcnow() + timedelta(hours=1, minutes=1))] == ["handbook"]
    assert source_status(index, declared)[1].last_run is None


def test_api_sources_is_for_admins_and_shows_the_last_run(embedded_settings, kb, tmp_path) -> None:  # type: ignore[no-untyped-def]
    write_export(tmp_path / "export.zip")
    (tmp_path / "sources.yaml").write_text("sources:\n  - {name: chat, kind: slack, location: export.zip, every: 1d}\n")
    settings = embedded_settings.model_copy(update={"sources": tmp_path / "sources.yaml"})
    api = build_api(settings, kb)
    sync_source(KnowledgeIndex(settings), load_sources(settings.sources)[0][0], tmp_path)

    assert api.client.get("/api/sources", headers=api.headers("facilitator")).status_code == 403
    response = api.client.get("/api/sources", headers=api.headers("admin"))

    assert response.status_code == 200
    [chat] = response.json()
    assert (chat["name"], chat["kind"], chat["every"], chat["due"]) == ("chat", "slack", "1d", False)
    assert chat["last_run"]["ok"] and chat["last_run"]["counts"]["documents"] == 2
    dashboard = api.client.get("/dashboard/digest", headers=api.headers("facilitator")).text
    assert 'id="sources"' in dashboard and "<td>chat</td>" in dashboard


def test_a_source_removed_from_the_file_keeps_answering_until_pruned(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    declare(tmp_path, monkeypatch)
    assert runner.invoke(app, ["sync", "chat"]).exit_code == 0
    (tmp_path / "sources.yaml").write_text("sources:\n  - {name: handbook, kind: folder, location: handbook}\n")

    warned = runner.invoke(app, ["sync"])
    assert warned.exit_code == 0 and "no longer declared still have documents: chat" in warned.output
    from peerassist.settings import Settings

    assert any(t.startswith("How do I get access to BrigidLab") for t in documents(Settings()))

    pruned = runner.invoke(app, ["sync", "--prune-undeclared"])
    assert pruned.exit_code == 0 and "chat: no longer declared - removed its 2 document(s)" in pruned.output
    assert not any(t.startswith("How do I get access to BrigidLab") for t in documents(Settings()))
    assert not (Settings().sources_dir / "chat").exists()
