"""The `peerassist` command: interface names, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess

import pytest
from typer.testing import CliRunner

from peerassist.cli import app
from tests.conftest import VENV_BIN, write_md

runner = CliRunner()


@pytest.fixture
def cli_env(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PEERASSIST_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)


def test_help_lists_the_commands_and_is_fast() -> None:
    result = subprocess.run([str(VENV_BIN / "peerassist"), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "ingest" in result.stdout and "ask" in result.stdout


def test_ingest_json_summary_has_the_interface_keys_and_exit_codes(cli_env, kb) -> None:  # type: ignore[no-untyped-def]
    first = runner.invoke(app, ["ingest", str(kb), "--json"])
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert set(summary) == {"added", "updated", "unchanged", "deleted", "failed", "chunks_written", "seconds"}
    assert summary["added"] == 4 and summary["failed"] == []

    (kb / "broken.docx").write_bytes(b"not a zip")
    second = runner.invoke(app, ["ingest", str(kb), "--json"])
    assert second.exit_code == 1
    summary = json.loads(second.stdout)
    assert summary["unchanged"] == 4
    assert summary["failed"] == [{"path": str(kb / "broken.docx"), "error": "not a real DOCX file (content does not start like one)"}]


def test_table_output_names_each_failure(cli_env, kb) -> None:  # type: ignore[no-untyped-def]
    (kb / "empty.md").write_text("")
    result = runner.invoke(app, ["ingest", str(kb)])
    assert result.exit_code == 1
    assert "Ingest summary" in result.stdout
    assert f"failed: {kb / 'empty.md'}: empty file" in result.stdout


def test_usage_errors_exit_2_with_one_line(cli_env, kb, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    missing = runner.invoke(app, ["ingest", str(kb / "nope")])
    assert missing.exit_code == 2
    assert missing.stderr.strip().splitlines() == [f"peerassist: path not found: {kb / 'nope'}"]

    monkeypatch.setenv("PEERASSIST_CHROMA_URL", "localhost:8000")
    bad_setting = runner.invoke(app, ["ingest", str(kb)])
    assert bad_setting.exit_code == 2
    assert len(bad_setting.stderr.strip().splitlines()) == 1
    assert "PEERASSIST_CHROMA_URL" in bad_setting.stderr


def test_changed_chunking_is_refused_naming_rebuild(cli_env, kb, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert runner.invoke(app, ["ingest", str(kb)]).exit_code == 0
    monkeypatch.setenv("PEERASSIST_CHUNK_SIZE", "500")
    refused = runner.invoke(app, ["ingest", str(kb)])
    assert refused.exit_code == 2
    assert "--rebuild" in refused.stderr and "chunk_size 800 -> 500" in refused.stderr
    rebuilt = runner.invoke(app, ["ingest", str(kb), "--rebuild", "--json"])
    assert rebuilt.exit_code == 0 and json.loads(rebuilt.stdout)["added"] == 4


def test_ask_json_shape_and_abstention(cli_env, kb) -> None:  # type: ignore[no-untyped-def]
    write_md(kb / "extra.md", "Extra", "## Parking\n\nStaff parking permits are issued by the estates office.")
    assert runner.invoke(app, ["ingest", str(kb)]).exit_code == 0

    answered = json.loads(runner.invoke(app, ["ask", "Who issues staff parking permits?", "--json"]).stdout)
    assert set(answered) >= {"answer", "answered", "confidence", "citations", "retrieved"}
    assert answered["answered"] is True
    [citation] = answered["citations"]
    assert set(citation) >= {"n", "doc_id", "title", "section", "page", "source", "quote"}
    assert citation["title"] == "Extra" and "estates office" in citation["quote"]

    off_topic = json.loads(runner.invoke(app, ["ask", "best pizza topping in Naples", "--json"]).stdout)
    assert off_topic["answered"] is False and off_topic["citations"] == []

    assert runner.invoke(app, ["ask", "   "]).exit_code == 2
