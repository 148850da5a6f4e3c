"""The facilitator's digest: engagement, knowledge gaps and document use for one period.

One model, three renderings: the dashboard (interactive HTML), the shareable HTML report
and the Markdown report (with its charts as `.svg` files beside it). Every text that came
from a member or a document is escaped by the template engine.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pydantic import BaseModel

from peerassist.ingest.sources.config import SourcesError, load_sources
from peerassist.ingest.sources.sync import SourceStatus, source_status
from peerassist.insights.experts import Expert, experts
from peerassist.insights.gaps import GapTopic, apply_retention, topics
from peerassist.insights.summary import Summary, summarize
from peerassist import community
from peerassist.charts import Series, bar_chart, line_chart
from peerassist.db import utcnow
from peerassist.retriever.service import AnswerService

TEMPLATES = Path(__file__).resolve().parent / "templates"
# Longer periods are charted by week: 365 daily bars would be unreadable.
DAILY_UP_TO_DAYS = 92


class ProposedAnswer(BaseModel):
    id: str
    text: str
    author: str


class OpenQuestion(BaseModel):
    """A question handed to the community, waiting for an answer (never who asked)."""

    id: str
    question: str
    context: str | None
    created_at: datetime
    answers: list[ProposedAnswer]
    experts: list[Expert] = []


class Digest(BaseModel):
    since_days: int
    generated_at: datetime
    summary: Summary
    gaps: list[GapTopic]
    open_questions: list[OpenQuestion] = []
    sources: list[SourceStatus] = []
    sources_problem: str | None = None  # sources.yaml set but unreadable

    @property
    def period(self) -> str:
        start = self.generated_at.date() - timedelta(days=self.since_days - 1)  # the days the charts show
        return f"{start:%d %b %Y} – {self.generated_at:%d %b %Y}"


def build(service: AnswerService, since_days: int) -> Digest:
    apply_retention(service)
    now = utcnow()
    digest = Digest(
        since_days=since_days, generated_at=now,
        summary=summarize(service, now - timedelta(days=since_days)), gaps=topics(service, since_days),
    )
    digest.open_questions = [
        OpenQuestion(
            id=t.question.id, question=t.question.question, context=t.question.context, created_at=t.question.created_at,
            answers=[ProposedAnswer(id=a.id, text=a.text, author=a.author) for a in t.answers],
            experts=experts(service, f"{t.question.question} {t.question.context or ''}"),
        )
        for t in community.threads(service.index.db, "open")
    ]
    if service.settings.sources is not None:
        try:
            digest.sources = source_status(service.index, load_sources(service.settings.sources)[0])
        except SourcesError as exc:
            digest.sources_problem = str(exc)
    return digest


def charts(digest: Digest) -> dict[str, Markup]:
    """Questions and answer rate over the period, every day (or week) shown, quiet ones too."""
    end = digest.generated_at.date()
    days = [end - timedelta(days=i) for i in range(digest.since_days - 1, -1, -1)]
    per_day, rate_per_day = digest.summary.questions_per_day, digest.summary.answer_rate_per_day
    if digest.since_days <= DAILY_UP_TO_DAYS:
        labels = [f"{d:%d %b}" for d in days]
        counts = [per_day.get(d.isoformat(), 0) for d in days]
        rates = [rate_per_day.get(d.isoformat()) for d in days]
        unit = "day"
    else:
        weeks: dict[str, list[date]] = {}
        for d in days:
            weeks.setdefault(f"{d:%G-W%V}", []).append(d)
        labels = list(weeks)
        counts = [sum(per_day.get(d.isoformat(), 0) for d in ds) for ds in weeks.values()]
        answered = [sum(per_day.get(d.isoformat(), 0) * rate_per_day.get(d.isoformat(), 0) for d in ds) for ds in weeks.values()]
        rates = [round(a / n, 4) if n else None for a, n in zip(answered, counts, strict=True)]
        unit = "week"
    return {
        "questions": bar_chart(f"Questions per {unit}", labels, counts),
        "answer_rate": line_chart(f"Answer rate per {unit}", labels, [Series("answer rate", "#2ca02c", rates)]),
    }


def render_html(digest: Digest) -> str:
    """The standalone report: one file, no scripts, to mail or put on the intranet."""
    return _environment().get_template("report.html.j2").render(digest=digest, charts=charts(digest), interactive=False)


def render_dashboard_body(digest: Digest) -> str:
    """The dashboard's content, with the drill-down and "mark as handled" controls."""
    return _environment().get_template("digest.html.j2").render(digest=digest, charts=charts(digest), interactive=True)


def render_dashboard_page(digest: Digest | None) -> str:
    """The dashboard page; without a digest it asks for a facilitator key and loads one."""
    body = Markup(render_dashboard_body(digest)) if digest else None
    return _environment().get_template("dashboard.html.j2").render(body=body)


def write_markdown(digest: Digest, out: Path) -> list[Path]:
    """`out` plus one `.svg` per chart beside it (Markdown cannot hold a chart inline)."""
    drawn = charts(digest)
    files = {name: out.with_name(f"{out.stem}-{name.replace('_', '-')}.svg") for name in drawn}
    for name, path in files.items():
        path.write_text(str(drawn[name]), encoding="utf-8")
    text = _environment(markdown=True).get_template("report.md.j2").render(digest=digest, charts={n: p.name for n, p in files.items()})
    out.write_text(text, encoding="utf-8")
    return [out, *files.values()]


def markdown_text(value: object) -> str:
    """Member- or document-written text as literal Markdown: no links, markup, HTML or table breaks."""
    text = re.sub(r"\s+", " ", str(value)).strip()
    return re.sub(r"([\\`*_{}\[\]()<>#+!|~])", r"\\\1", text)


@cache
def _environment(*, markdown: bool = False) -> Environment:
    """One per kind, so each template is compiled once per process, not on every dashboard load."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=False if markdown else select_autoescape(["html", "j2"]),
        trim_blocks=markdown, lstrip_blocks=markdown, keep_trailing_newline=True,
    )
    env.filters["pct"] = lambda v: "—" if v is None else f"{v:.0%}"
    env.filters["md"] = markdown_text
    return env
