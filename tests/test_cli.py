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


# Runs a command in a fresh interpreter, then lists which heavy libraries it imported.
HEAVY_IMPORTS_PROBE = """
import sys
from peerassist.cli import app
try:
    app(sys.argv[1:])
except SystemExit as exit:
    assert exit.code in (0, None), exit.code
heavy = ("torch", "sentence_transformers", "transformers", "unstructured", "chromadb", "spacy")
print("IMPORTED", " ".join(m for m in heavy if m in sys.modules))
"""


def imported_heavy_modules(*args: str, env: dict[str, str]) -> set[str]:
    result = subprocess.run(
        [str(VENV_BIN / "python"), "-c", HEAVY_IMPORTS_PROBE, *args], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return set(result.stdout.rsplit("IMPORTED", 1)[1].split())


def test_quick_commands_import_nothing_heavy_and_ask_never_imports_torch(cli_env, kb) -> None:  # type: ignore[no-untyped-def]
    import os

    env = dict(os.environ)
    for command in (["--help"], ["keys", "create", "--role", "member"], ["gaps"], ["ask", "--help"]):
        assert imported_heavy_modules(*command, env=env) == set(), command
    write_md(kb / "faq-visitors.md", "Visitors FAQ", "## Do vendors come to meetings?\n\nNot to regular meetings.")
    assert runner.invoke(app, ["ingest", str(kb)]).exit_code == 0
    # The ingest saved the sentence splits with the BM25 index: quoting needs no spaCy either.
    assert imported_heavy_modules("ask", "How do I join?", env=env) == {"chromadb"}
    # A "who" question looks for names among the sentences' entities, found with the splits.
    assert imported_heavy_modules("ask", "Who do I email to join?", env=env) == {"chromadb"}
    # A question that capitalises no name is not parsed for one ("a Teams channel"): spaCy's 0.6 s is not spent.
    assert imported_heavy_modules("ask", "do we have a template for proposals", env=env) == {"chromadb"}
    # ... nor is "when does <subject> <verb>?" for its verb (the last word): the README's sample question.
    assert imported_heavy_modules("ask", "When does the community meet?", env=env) == {"chromadb"}
    # ... nor a capitalised word that comes before no noun ("use ChatGPT to ...", not "a Teams channel").
    assert imported_heavy_modules("ask", "Can I use ChatGPT to plan meetings?", env=env) == {"chromadb"}
    # Whom an FAQ entry's question is about ("vendors", not the member asking) was parsed by the ingest.
    assert imported_heavy_modules("ask", "Do I have to come to every meeting?", env=env) == {"chromadb"}


def test_ingest_json_summary_has_the_interface_keys_and_exit_codes(cli_env, kb) -> None:  # type: ignore[no-untyped-def]
    first = runner.invoke(app, ["ingest", str(kb), "--json"])
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    interface = {"added", "updated", "unchanged", "deleted", "failed", "chunks_written", "seconds"}
    assert set(summary) == interface | {"warnings"}  # the interface's keys, and warnings added beside them
    assert summary["added"] == 4 and summary["failed"] == [] and summary["warnings"] == []

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


def test_ask_before_anything_is_ingested_refuses_and_says_why(cli_env) -> None:  # type: ignore[no-untyped-def]
    for retriever in ("bm25", "dense", "hybrid"):
        done = runner.invoke(app, ["ask", "How do I join?", "--json", "--retriever", retriever])
        assert done.exit_code == 0, done.output
        assert json.loads(done.stdout)["answered"] is False
        assert "no documents yet" in done.stderr and "peerassist ingest" in done.stderr
    guide = runner.invoke(app, ["onboarding", "--json"])
    assert guide.exit_code == 0 and json.loads(guide.stdout)["path"] == [] and "no documents yet" in guide.stderr


def test_ask_text_output_retrievers_and_conversation(cli_env, kb) -> None:  # type: ignore[no-untyped-def]
    assert runner.invoke(app, ["ingest", str(kb)]).exit_code == 0
    for retriever in ("bm25", "dense", "hybrid"):
        done = runner.invoke(app, ["ask", "Which room do we meet in?", "--retriever", retriever])
        assert done.exit_code == 0, done.output
        assert "Room 4B" in done.stdout and "[1]" in done.stdout and "charter.md" in done.stdout

    runner.invoke(app, ["ask", "What is a model card?", "--conversation", "c1"])
    follow = json.loads(runner.invoke(app, ["ask", "What does it describe?", "--conversation", "c1", "--json"]).stdout)
    assert follow["standalone_question"] == "What does a model card describe?"
    assert follow["conversation_id"] == "c1"

    member = json.loads(runner.invoke(app, ["ask", "training budget 2026", "--json"]).stdout)
    assert "Budget 2026" not in {r["title"] for r in member["retrieved"]}
    facilitator = json.loads(
        runner.invoke(app, ["ask", "training budget 2026", "--json", "--role", "facilitator"]).stdout
    )
    assert facilitator["retrieved"][0]["title"] == "Budget 2026"


def test_ask_usage_errors(cli_env, kb) -> None:  # type: ignore[no-untyped-def]
    assert runner.invoke(app, ["ingest", str(kb)]).exit_code == 0
    bad = runner.invoke(app, ["ask", "Q?", "--retriever", "magic"])
    assert bad.exit_code == 2
    long = runner.invoke(app, ["ask", "why " * 400])
    assert long.exit_code == 2 and "limit is 1000" in long.output
    symbols = runner.invoke(app, ["ask", "?!"])
    assert symbols.exit_code == 2 and "no words" in symbols.output


def test_eval_json_shape_and_bad_dataset(cli_env, kb, tmp_path) -> None:  # type: ignore[no-untyped-def]
    golden = tmp_path / "g.yaml"
    golden.write_text(
        f"corpus: {kb}\nquestions:\n"
        '  - {id: room, question: "Which room do we meet in?", answers: ["Room 4B"], sources: [charter.md]}\n'
        '  - {id: pizza, question: "What is the best pizza topping?", answerable: false}\n'
    )
    done = runner.invoke(app, ["eval", "--dataset", f"golden:{golden}", "--retriever", "all", "--json"])
    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout)
    assert result["dataset"] == f"golden:{golden}" and set(result["runs"]) == {"bm25", "dense", "hybrid"}
    names = {"hit@1", "hit@5", "mrr@10", "ndcg@10", "recall@10", "answered_rate", "answer_contains", "token_f1",
             "abstain_recall", "abstain_precision", "citation_precision", "latency_p50_ms", "latency_p95_ms"}
    assert names <= set(result["runs"]["hybrid"])
    assert result["runs"]["hybrid"]["hit@1"] == 1.0

    bad = runner.invoke(app, ["eval", "--dataset", "trivia"])
    assert bad.exit_code == 2 and "unknown dataset" in bad.output
    assert runner.invoke(app, ["eval"]).exit_code == 2


def test_an_unwritable_model_cache_is_one_readable_line(cli_env, kb, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("PEERASSIST_MODEL_CACHE_DIR", str(tmp_path / "a-file" / "models"))
    result = runner.invoke(app, ["ingest", str(kb)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"peerassist: cannot write the ONNX model cache {tmp_path / 'a-file' / 'models'} (Not a directory); "
        "set PEERASSIST_MODEL_CACHE_DIR to a writable folder, or PEERASSIST_EMBEDDING_BACKEND=torch"
    ]
