"""The `peerassist` command. Heavy libraries are imported inside commands, so `--help` is instant.

Exit codes (../shared/INTERFACE.md): 0 ok, 1 the work failed, 2 bad usage.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    from peerassist.ingest.pipeline import IngestReport
    from peerassist.settings import Settings
    from peerassist.retriever.schemas import Answer
    from peerassist.retriever.service import AnswerService

class _Commands(TyperGroup):
    """Every command: a dependency that is down (Chroma, the records DB) is one line and exit 1, not a traceback."""

    def invoke(self, ctx: typer.Context) -> object:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            if type(exc).__module__.startswith(("click", "typer")):  # exits and usage errors are handled already
                raise
            from peerassist.availability import unavailable

            problem = unavailable(exc, load_settings())
            if problem is None:
                raise
            fail(problem)


app = typer.Typer(
    cls=_Commands,
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
    follow_links: Annotated[
        bool, typer.Option("--follow-links", help="also ingest symbolic links that point outside the folder")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON summary object")] = False,
) -> None:
    """Parse, chunk and embed documents into the knowledge index; unchanged files are skipped."""
    from peerassist.ingest.pipeline import Ingestor, IngestUsageError
    from peerassist.embeddings import EmbeddingModelNotFound
    from peerassist.store import IndexSettingsChanged, KnowledgeIndex

    settings = load_settings()
    try:
        index = KnowledgeIndex(settings)
        with _progress(enabled=not as_json and sys.stderr.isatty()) as progress:
            report = Ingestor(index, progress=progress, follow_links=follow_links).run(paths, sync=sync, rebuild=rebuild)
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
    if report.added or report.updated or report.deleted:
        _after_change(settings, recheck_gaps=bool(report.added or report.updated))
    raise typer.Exit(1 if report.failed else 0)


def _after_change(settings: Settings, *, recheck_gaps: bool) -> None:
    """Build the new version's BM25 index and sentence splits now, so the next `ask` only loads them;
    then re-ask earlier gaps that new documents may answer (closing the loop)."""
    from peerassist.insights.gaps import recheck
    from peerassist.retriever.service import AnswerService

    service = AnswerService(settings)
    service.view.warm()
    if not recheck_gaps:
        return
    closed = recheck(service)
    if closed:
        typer.echo(f"{len(closed)} earlier unanswered question(s) are now answered", err=True)


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
    from peerassist.embeddings import EmbeddingModelNotFound
    from peerassist.retriever.filters import SearchFilter
    from peerassist.retriever.service import AnswerService, AskOptions, QuestionError

    settings = load_settings()
    options = AskOptions(
        retriever=retriever.value,
        k=top_k,
        filter=SearchFilter(role=role.value, tags=tuple(tag or ()), audience=tuple(audience or ()), source=source),
        conversation_id=conversation,
    )
    try:
        service = AnswerService(settings)
        answer = service.ask(question, options)
    except QuestionError as exc:
        fail(str(exc), 2)
    except EmbeddingModelNotFound as exc:
        fail(str(exc), 1)
    _say_if_empty(service)
    if as_json:
        typer.echo(answer.model_dump_json())
        return
    _print_answer(question, answer)


def _say_if_empty(service: AnswerService) -> None:
    """An empty answer or guide is not the documents' fault before any were ingested: say so (stderr)."""
    if not service.view.current().documents:
        typer.echo("the knowledge base has no documents yet: add some with `peerassist ingest PATH`", err=True)


def _print_answer(question: str, answer: Answer) -> None:
    from rich.console import Console

    from peerassist.text import heading_path

    console = Console(soft_wrap=True)
    if answer.standalone_question != " ".join(question.split()):
        console.print(f"(read as: {answer.standalone_question})", markup=False, style="dim")
    console.print(answer.answer, markup=False, highlight=False)
    sources = answer.citations or answer.related
    if sources:
        console.print("\nSources:" if answer.citations else "\nThese might help:", markup=False)
    for n, src in enumerate(sources, start=1):
        page = f", page {src.page}" if src.page else ""
        console.print(f"[{n}] {heading_path(src.title, src.section)}{page}\n    {src.source}", markup=False)
    console.print(f"\nconfidence {answer.confidence:.2f}", markup=False, style="dim")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="port")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="worker processes")] = 1,
    sync: Annotated[bool, typer.Option("--sync", help="also run the sources in PEERASSIST_SOURCES on their schedules")] = False,
) -> None:
    """Serve the API, the widget (/widget.js) and a demo community page (/); docs at /docs."""
    import uvicorn

    settings = load_settings()  # bad settings fail here, in one line, not in every worker
    if sync:
        _start_scheduler(settings)
    uvicorn.run("peerassist.api.app:create_app", factory=True, host=host, port=port, workers=workers, log_level="info")


def _start_scheduler(settings: Settings) -> None:
    """One background thread in the serving process runs due sources, one at a time."""
    import threading

    from peerassist.ingest.sources.config import SourcesError, load_sources
    from peerassist.ingest.sources.sync import run_schedules

    try:
        load_sources(settings.sources)
    except SourcesError as exc:
        fail(str(exc), 2)
    after = lambda run: _after_change(settings, recheck_gaps=bool(run.counts.get("added") or run.counts.get("updated")))  # noqa: E731
    threading.Thread(target=run_schedules, args=(settings, threading.Event(), after), name="peerassist-sync", daemon=True).start()


@app.command()
def sync(
    names: Annotated[list[str] | None, typer.Argument(metavar="[NAME]...", help="sources to run (default: all)", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON array of the runs")] = False,
    prune_undeclared: Annotated[
        bool, typer.Option("--prune-undeclared", help="also remove the documents of sources no longer declared (removed or renamed)")
    ] = False,
) -> None:
    """Fetch and ingest the sources declared in PEERASSIST_SOURCES; exit 1 if one failed."""
    from peerassist.ingest.sources import sync as syncing
    from peerassist.ingest.sources.config import SourcesError, load_sources, select
    from peerassist.ingest.sources.sync import sync_source
    from peerassist.store import KnowledgeIndex

    settings = load_settings()
    try:
        declared, base = load_sources(settings.sources)
        chosen = select(declared, names or [])
    except SourcesError as exc:
        fail(str(exc), 2)
    index = KnowledgeIndex(settings)
    if prune_undeclared:
        for name, count in syncing.prune_undeclared(index, declared).items():
            typer.echo(f"{name}: no longer declared - removed its {count} document(s)", err=True)
    elif left := syncing.undeclared(index, declared):
        typer.echo(f"sources no longer declared still have documents: {', '.join(left)} (sync --prune-undeclared removes them)", err=True)
    runs = [sync_source(index, spec, base) for spec in chosen]
    if as_json:
        typer.echo(json.dumps([{"name": r.name, "ok": r.ok, "counts": r.counts, "errors": r.errors} for r in runs]))
    for run in runs:
        if not as_json:
            counts = ", ".join(f"{k} {v}" for k, v in run.counts.items())
            typer.echo(f"{run.name}: {'ok' if run.ok else 'FAILED'}{' - ' + counts if counts else ''}")
            for error in run.errors:
                typer.echo(f"  {error.get('kind', 'failed')}: {error['item']}: {error['error']}")
    if any(r.counts.get("added") or r.counts.get("updated") or r.counts.get("deleted") for r in runs):
        _after_change(settings, recheck_gaps=any(r.counts.get("added") or r.counts.get("updated") for r in runs))
    raise typer.Exit(0 if all(r.ok for r in runs) else 1)


@app.command()
def sources(as_json: Annotated[bool, typer.Option("--json", help="print one JSON array")] = False) -> None:
    """The declared sources with their last run: when, counts, errors."""
    from peerassist.ingest.sources.config import SourcesError, load_sources
    from peerassist.ingest.sources.sync import source_status
    from peerassist.store import KnowledgeIndex

    settings = load_settings()
    try:
        declared, _ = load_sources(settings.sources)
    except SourcesError as exc:
        fail(str(exc), 2)
    rows = [status.model_dump(mode="json") for status in source_status(KnowledgeIndex(settings), declared)]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("name", "kind", "location", "every", "last run", "result", "documents", "errors")
    for row in rows:
        run = row["last_run"] or {}
        table.add_row(
            row["name"], row["kind"], row["location"], row["every"] or "on demand", run.get("finished_at", "never"),
            "" if not run else "ok" if run["ok"] else "failed", str(run.get("counts", {}).get("documents", "")),
            "; ".join(f"{e['item']}: {e['error']}" for e in run.get("errors", [])[:3]),
        )
    Console().print(table)


@app.command()
def onboarding(
    as_json: Annotated[bool, typer.Option("--json", help="print the guide as one JSON object")] = False,
    role: Annotated[Role, typer.Option(help="build the guide as this role sees the documents")] = Role.member,
) -> None:
    """A newcomer's guide: where to start, the community's vocabulary, good first questions."""
    from peerassist.onboarding.guide import build
    from peerassist.retriever.service import AnswerService

    service = AnswerService(load_settings())
    guide = build(service, role.value)
    _say_if_empty(service)
    if as_json:
        typer.echo(guide.model_dump_json())
        return
    from rich.console import Console

    console = Console(soft_wrap=True)
    console.print("Start here:", style="bold")
    for n, entry in enumerate(guide.path, start=1):
        console.print(f"{n}. {entry.title} ({entry.why})\n   {entry.summary}", markup=False, highlight=False)
    console.print(f"\nGlossary ({len(guide.glossary)} terms):", style="bold")
    for item in guide.glossary:
        console.print(f"- {item.term}: {item.definition}  [{item.title}]", markup=False, highlight=False)
    console.print("\nGood first questions:", style="bold")
    for starter in guide.starter_questions:
        console.print(f"- {starter.question}", markup=False, highlight=False)


class GapFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command()
def gaps(
    since: Annotated[str, typer.Option(help="period to look at, in days: 30d")] = "30d",
    recheck: Annotated[bool, typer.Option("--recheck", help="first re-ask open gap questions against today's documents")] = False,
    output: Annotated[GapFormat, typer.Option("--format", help="table, csv or json")] = GapFormat.table,
) -> None:
    """Knowledge gaps: unanswered, low-confidence or unhelpful questions, grouped into topics."""
    from peerassist.insights.gaps import recheck as recheck_gaps
    from peerassist.insights.gaps import topics
    from peerassist.retriever.service import AnswerService

    days = _days(since)
    service = AnswerService(load_settings())
    if recheck:
        closed = recheck_gaps(service)
        typer.echo(f"re-checked open gaps: {len(closed)} now answered", err=True)
    found = topics(service, days)
    if output is GapFormat.json:
        typer.echo(json.dumps([t.model_dump() for t in found]))
    elif output is GapFormat.csv:
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(["topic", "count", "askers", "previous", "trend", "resolved", "suggested_title", "examples", "who_might_know"])
        for t in found:
            writer.writerow([
                t.label, t.count, t.askers, t.previous_count, t.trend, t.resolved, t.suggested_title, " | ".join(t.examples),
                " | ".join(f"{e.name} ({e.reasons[0]})" for e in t.experts),
            ])
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(
            "topic", "questions", "askers", "trend", "resolved", "examples", "nearest documents", "who might know",
            title=f"Knowledge gaps, last {days} days",
        )
        for t in found:
            table.add_row(t.label, str(t.count), str(t.askers), f"{t.trend} ({t.previous_count} before)",
                          f"{t.resolved}/{t.count}", "\n".join(t.examples[:3]), "\n".join(d.title for d in t.nearest_documents),
                          "\n".join(f"{e.name}: {e.reasons[0]}" for e in t.experts))
        Console(soft_wrap=True, width=160).print(table if found else "no knowledge gaps in this period")


def _days(since: str) -> int:
    from peerassist.insights.period import parse_days

    try:
        return parse_days(since)
    except ValueError as exc:
        fail(f"--{exc}", 2)


@app.command()
def report(
    out: Annotated[Path, typer.Option(help="where to write it: FILE.html or FILE.md", show_default=False)],
    since: Annotated[str, typer.Option(help="period to report on, in days: 30d")] = "30d",
) -> None:
    """A shareable digest: engagement, knowledge gaps, document use and contributors, with charts."""
    from peerassist.insights.digest import build, render_html, write_markdown
    from peerassist.retriever.service import AnswerService

    days = _days(since)
    if out.suffix.lower() not in {".html", ".md"}:
        fail(f"--out must end in .html or .md, not {out.name!r}", 2)
    if not out.parent.is_dir():
        fail(f"--out: folder {out.parent} does not exist", 2)
    digest = build(AnswerService(load_settings()), days)
    if out.suffix.lower() == ".html":
        out.write_text(render_html(digest), encoding="utf-8")
        written = [out]
    else:
        written = write_markdown(digest, out)
    typer.echo(f"wrote {', '.join(str(p) for p in written)}: {digest.summary.questions} questions, {len(digest.gaps)} gap topics")


keys_app = typer.Typer(help="API keys (stored hashed; shown once).", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


@keys_app.command("create")
def keys_create(
    role: Annotated[Role, typer.Option(help="what the key may do", show_default=False)],
    origin: Annotated[
        list[str] | None, typer.Option(help="site allowed to use the key from a browser (repeatable)", show_default=False)
    ] = None,
) -> None:
    """Create a key; the key itself is printed alone on the last line."""
    from peerassist.db import Database
    from peerassist.keys import create_key

    for site in origin or []:
        if not site.startswith(("http://", "https://")):
            fail(f"--origin must be a URL like https://intranet.example.org, not {site!r}", 2)
    row, token = create_key(Database(load_settings().sqlalchemy_url), role.value, origin)
    typer.echo(f"created {row.role} key {row.prefix}… (id {row.id}){' for ' + ', '.join(row.origins) if row.origins else ''}")
    typer.echo(token)


@keys_app.command("list")
def keys_list(as_json: Annotated[bool, typer.Option("--json", help="print one JSON array")] = False) -> None:
    """Every key: id, role, origins, created, last used (never the secret, which is not stored)."""
    from peerassist.db import Database
    from peerassist.keys import list_keys

    rows = [
        {
            "id": key.id,
            "prefix": key.prefix,
            "role": key.role,
            "origins": key.origins,
            "created": _iso(key.created_at),
            "last_used": _iso(key.last_used_at),
            "revoked": key.revoked,
        }
        for key in list_keys(Database(load_settings().sqlalchemy_url))
    ]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "key", "role", "origins", "created", "last used", "status")
    for row in rows:
        table.add_row(
            row["id"], f"{row['prefix']}…", row["role"], ", ".join(row["origins"]) or "any",
            row["created"] or "", row["last_used"] or "never", "revoked" if row["revoked"] else "active",
        )
    Console().print(table)


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(metavar="ID", help="the key's id, from 'keys list'")]) -> None:
    """Revoke a key: every worker refuses it (401) from the next request on."""
    from peerassist.db import Database
    from peerassist.keys import UnknownKeyError, revoke_key

    try:
        was_live = revoke_key(Database(load_settings().sqlalchemy_url), key_id)
    except UnknownKeyError as exc:
        fail(str(exc))
    typer.echo(f"revoked key {key_id}" if was_live else f"key {key_id} was already revoked")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


db_app = typer.Typer(help="The records database's schema (query log, keys, votes, registry).", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the schema migrations this release has and the database lacks (every row kept)."""
    from peerassist import migrations
    from peerassist.db import engine_for

    before, after = migrations.upgrade(engine_for(load_settings().sqlalchemy_url))
    typer.echo(f"records database at {after}" + (f" (was {before or 'unversioned'})" if before != after else " (already current)"))


@db_app.command("current")
def db_current() -> None:
    """Print the database's schema revision, and whether this release would upgrade it."""
    from peerassist import migrations
    from peerassist.db import engine_for

    revision = migrations.current(engine_for(load_settings().sqlalchemy_url))
    note = "current" if revision == migrations.HEAD else f"behind: 'peerassist db upgrade' brings it to {migrations.HEAD}"
    typer.echo(f"{revision or 'unversioned'} ({note})")


eval_app = typer.Typer(
    help="Measure answer quality on a dataset, keep the history, gate on a baseline.",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(eval_app, name="eval")


class EvalRetriever(str, Enum):
    bm25 = "bm25"
    dense = "dense"
    hybrid = "hybrid"
    all = "all"


@eval_app.callback()
def eval_run(
    ctx: typer.Context,
    dataset: Annotated[
        str | None, typer.Option(help="golden | golden:PATH | squad:PATH | beir:PATH | hotpot:PATH", show_default=False)
    ] = None,
    retriever: Annotated[EvalRetriever, typer.Option(help="one retriever, or all three side by side")] = EvalRetriever.hybrid,
    limit: Annotated[int, typer.Option(min=0, help="use the first N questions (0 = all)")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="print the result as one JSON object")] = False,
    set_baseline: Annotated[
        str | None, typer.Option("--set-baseline", help="also record this run as the named baseline", show_default=False)
    ] = None,
) -> None:
    """Run a dataset through ingestion, retrieval and answering; print the metrics and record the run."""
    if ctx.invoked_subcommand is not None:
        return
    if not dataset:
        fail("--dataset is required (golden, squad:PATH, beir:PATH or hotpot:PATH)", 2)
    from peerassist.evals import history as eval_history
    from peerassist.evals.datasets import DatasetSpecError, load_dataset
    from peerassist.evals.runner import (
        RETRIEVER_NAMES,
        apply_threshold,
        failures,
        prepare,
        run,
        score,
    )
    from peerassist.db import Database

    settings = load_settings()
    try:
        data = load_dataset(dataset)
        if set_baseline:
            eval_history.baseline_path(set_baseline)
    except (DatasetSpecError, eval_history.BaselineError) as exc:
        fail(str(exc), 2)
    questions = data.questions[: limit or None]
    prepared = prepare(data, settings)
    runs, failed = {}, {}
    for name in RETRIEVER_NAMES if retriever is EvalRetriever.all else (retriever.value,):
        outcomes = run(prepared, questions, name)
        apply_threshold(outcomes, prepared.service.confidence)
        runs[name] = score(outcomes, data.has_answers)
        failed[name] = failures(outcomes)
    row = eval_history.record(Database(settings.sqlalchemy_url), settings, dataset, len(questions), runs, failed)
    if set_baseline:
        eval_history.save_baseline(set_baseline, row)
    if as_json:
        typer.echo(json.dumps({"dataset": dataset, "runs": runs}))
        return
    _print_metrics(f"{dataset}: {len(questions)} questions, commit {row.git_commit}", runs)
    if set_baseline:
        typer.echo(f"recorded as baseline {set_baseline!r}")


@eval_app.command("history")
def eval_history_command(
    dataset: Annotated[str | None, typer.Option(help="only runs of this dataset", show_default=False)] = None,
) -> None:
    """Every recorded run, oldest first, with its headline metrics."""
    from rich.console import Console
    from rich.table import Table

    from peerassist.evals.history import history
    from peerassist.db import Database

    rows = history(Database(load_settings().sqlalchemy_url), dataset)
    table = Table("when (UTC)", "dataset", "commit", "settings", "retriever", "n", "ndcg@10", "answer_contains", "abstain_recall")
    for row in rows:
        for name, metrics in row.runs.items():
            table.add_row(
                row.created_at.strftime("%Y-%m-%d %H:%M"), row.dataset, row.git_commit, row.fingerprint[:8], name,
                str(row.question_count), *(_fmt(metrics.get(m)) for m in ("ndcg@10", "answer_contains", "abstain_recall")),
            )
    Console(soft_wrap=True, width=160).print(table if rows else "no eval runs recorded yet")


@eval_app.command("compare")
def eval_compare(
    baseline: Annotated[str, typer.Option(help="name of a baseline in evals/baselines/")] = "golden",
) -> None:
    """Compare the latest run of the baseline's dataset with the baseline; exit 1 on a regression."""
    from rich.console import Console
    from rich.table import Table

    from peerassist.evals.history import BaselineError, compare, history, load_baseline
    from peerassist.db import Database

    try:
        base = load_baseline(baseline)
    except BaselineError as exc:
        fail(str(exc), 2)
    runs = history(Database(load_settings().sqlalchemy_url), base["dataset"])
    if not runs:
        fail(f"no recorded run of dataset {base['dataset']!r} to compare; run `peerassist eval --dataset {base['dataset']}`", 2)
    latest = runs[-1]
    missing = sorted(set(base["runs"]) - set(latest.runs))
    if missing:
        fail(f"the latest run of {base['dataset']!r} has no {', '.join(missing)} results to compare", 2)
    rows = compare(base["runs"], latest.runs)
    table = Table("retriever", "metric", "baseline", "latest", "bound", "")
    for r in rows:
        table.add_row(r.retriever, r.metric, _fmt(r.baseline), _fmt(r.current), _fmt(r.allowed), "REGRESSED" if r.regressed else "ok")
    console = Console(soft_wrap=True)
    console.print(table)
    regressed = [r for r in rows if r.regressed]
    if regressed:
        what = ", ".join(f"{r.retriever} {r.metric} {r.baseline:.3f} -> {r.current:.3f}" for r in regressed)
        fail(f"regression against baseline {baseline!r}: {what}", 1)
    console.print(f"no regression against baseline {baseline!r} (commit {base['git_commit']})", markup=False)


@eval_app.command("report")
def eval_report(
    out: Annotated[Path, typer.Option(help="the HTML file to write", show_default=False)],
) -> None:
    """Write an HTML report: latest metrics, per-question failures, metric history chart."""
    from peerassist.evals.history import history
    from peerassist.evals.report import render
    from peerassist.db import Database

    if out.suffix.lower() not in (".html", ".htm"):
        fail(f"--out must name an .html file, not {out.name!r}", 2)
    runs = history(Database(load_settings().sqlalchemy_url))
    try:
        out.write_text(render(runs), encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror}", 1)
    typer.echo(f"wrote {out} ({len(runs)} runs)")


def _print_metrics(title: str, runs: dict[str, dict[str, float | None]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("metric", *runs, title=title)
    for metric in next(iter(runs.values())):
        table.add_row(metric, *(_fmt(values.get(metric)) for values in runs.values()))
    Console(soft_wrap=True).print(table)


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


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
    for warning in report.warnings:
        console.print(f"warning: {warning.path}: {warning.error}", markup=False, highlight=False)


if __name__ == "__main__":
    app()
