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
    from retriever.schemas import Answer

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
    bm25 = "bm25"
    dense = "dense"
    hybrid = "hybrid"


class Role(str, Enum):
    member = "member"
    facilitator = "facilitator"
    admin = "admin"


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
    retriever: Annotated[RetrieverName, typer.Option(help="retrieval method")] = RetrieverName.hybrid,
    conversation: Annotated[
        str | None, typer.Option(help="conversation id: a follow-up is read in the light of its previous question")
    ] = None,
    role: Annotated[Role, typer.Option(help="answer as this role sees the documents")] = Role.member,
    tag: Annotated[list[str] | None, typer.Option(help="only documents with this tag (repeatable)")] = None,
    audience: Annotated[list[str] | None, typer.Option(help="only documents for this audience (repeatable)")] = None,
    source: Annotated[str | None, typer.Option(help="only documents whose path contains this")] = None,
    top_k: Annotated[int, typer.Option("--top-k", min=1, max=50, help="passages to list")] = 5,
) -> None:
    """Ask a question; prints a cited answer (or says the documents don't cover it) and the sources."""
    from retriever.filters import SearchFilter
    from retriever.service import AnswerService, AskOptions, QuestionError

    settings = load_settings()
    options = AskOptions(
        retriever=retriever.value,
        k=top_k,
        filter=SearchFilter(role=role.value, tags=tuple(tag or ()), audience=tuple(audience or ()), source=source),
        conversation_id=conversation,
    )
    try:
        answer = AnswerService(settings).ask(question, options)
    except QuestionError as exc:
        fail(str(exc), 2)
    if as_json:
        typer.echo(answer.model_dump_json())
        return
    _print_answer(answer)


def _print_answer(answer: Answer) -> None:
    from rich.console import Console

    from ingest.chunking import heading_path

    console = Console(soft_wrap=True)
    if answer.standalone_question and answer.conversation_id:
        console.print(f"(read as: {answer.standalone_question})", markup=False, style="dim")
    console.print(answer.answer, markup=False, highlight=False)
    sources = answer.citations or answer.related
    if sources:
        console.print("\nSources:" if answer.citations else "\nThese might help:", markup=False)
    for n, src in enumerate(sources, start=1):
        page = f", page {src.page}" if src.page else ""
        console.print(f"[{n}] {heading_path(src.title, src.section)}{page}\n    {src.source}", markup=False)
    console.print(f"\nconfidence {answer.confidence:.2f}", markup=False, style="dim")


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
