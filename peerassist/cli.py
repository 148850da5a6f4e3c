"""The `peerassist` command. Heavy libraries are imported inside commands, so `--help` is instant.

Exit codes (../shared/INTERFACE.md): 0 ok, 1 the work failed, 2 bad usage.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from ingest.pipeline import IngestReport
    from peerassist.settings import Settings

app = typer.Typer(
    name="peerassist",
    help="Answers from your community's own documents, with citations. Works offline.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def fail(message: str, code: int = 1) -> NoReturn:
    """One readable line on stderr, then exit."""
    typer.echo(f"peerassist: {message}", err=True)
    raise typer.Exit(code)


def load_settings() -> Settings:
    from pydantic import ValidationError

    from peerassist.settings import Settings

    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(f"PEERASSIST_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
        fail(f"bad settings: {problems}", 2)


class RetrieverName(str, Enum):
    dense = "dense"


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="files or folders to ingest", show_default=False)],
    sync: Annotated[bool, typer.Option("--sync", help="also remove documents whose files are gone")] = False,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="re-embed everything with the current model and chunking settings")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON summary object")] = False,
) -> None:
    """Parse, chunk and embed documents into the knowledge index; unchanged files are skipped."""
    from ingest.pipeline import Ingestor, IngestUsageError
    from peerassist.embeddings import EmbeddingModelNotFound
    from peerassist.store import IndexSettingsChanged, KnowledgeIndex

    settings = load_settings()
    try:
        index = KnowledgeIndex(settings)
        with _progress(enabled=not as_json and sys.stderr.isatty()) as progress:
            report = Ingestor(index, progress=progress).run(paths, sync=sync, rebuild=rebuild)
    except IngestUsageError as exc:
        fail(str(exc), 2)
    except IndexSettingsChanged as exc:
        fail(str(exc), 2)
    except EmbeddingModelNotFound as exc:
        fail(str(exc), 1)
    if as_json:
        typer.echo(report.to_json())
    else:
        _print_report(report)
    raise typer.Exit(1 if report.failed else 0)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="the question, in quotes", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="print the answer as one JSON object")] = False,
    retriever: Annotated[RetrieverName, typer.Option(help="retrieval method")] = RetrieverName.dense,
    top_k: Annotated[int, typer.Option("--top-k", min=1, max=50, help="passages to show")] = 5,
) -> None:
    """Ask a question; prints the best passages with their source, section and score."""
    from retriever.answer import answer_question

    settings = load_settings()
    if not question.strip():
        fail("the question is empty", 2)
    result = answer_question(settings, question, k=top_k)
    if as_json:
        typer.echo(json.dumps(result))
        return
    from rich.console import Console

    from ingest.chunking import heading_path

    console = Console(soft_wrap=True)
    console.print(result["answer"], markup=False, highlight=False)
    for hit in result["retrieved"]:
        where = heading_path(hit["title"], hit["section"])
        page = f", page {hit['page']}" if hit.get("page") else ""
        console.print(f"\n[{hit['rank']}] {hit['score']:.2f}  {where}{page}\n    {hit['source']}", markup=False)


def _progress(enabled: bool):  # type: ignore[no-untyped-def]
    from contextlib import nullcontext

    if not enabled:
        return nullcontext(None)
    from peerassist.console import RichIngestProgress

    return RichIngestProgress()


def _print_report(report: IngestReport) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(soft_wrap=True)
    table = Table(title="Ingest summary")
    for column in ("added", "updated", "unchanged", "deleted", "failed", "chunks written", "seconds"):
        table.add_column(column, justify="right")
    table.add_row(
        *map(str, (report.added, report.updated, report.unchanged, report.deleted, len(report.failed))),
        str(report.chunks_written),
        f"{report.seconds:.1f}",
    )
    console.print(table)
    for failure in report.failed:
        console.print(f"failed: {failure.path}: {failure.error}", markup=False, highlight=False)


if __name__ == "__main__":
    app()
