"""`peerassist eval report`: one self-contained HTML page (no scripts, all text escaped)."""

from __future__ import annotations

from pathlib import Path

from peerassist.charts import Series, line_chart
from peerassist.db import EvalRunRecord

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
CHART_METRICS = ("ndcg@10", "answer_contains", "answered_rate", "abstain_recall")
CHART_COLOURS = ("#1f77b4", "#2ca02c", "#ff7f0e", "#d62728")


def render(runs: list[EvalRunRecord]) -> str:
    """The latest run's tables and failures, and each dataset's metric history as an SVG chart."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=select_autoescape(["html", "j2"]))
    latest = runs[-1] if runs else None
    datasets = sorted({r.dataset for r in runs})
    charts = {name: history_chart([r for r in runs if r.dataset == name]) for name in datasets}
    return env.get_template("report.html.j2").render(latest=latest, charts=charts, runs=runs)


def history_chart(runs: list[EvalRunRecord]) -> dict[str, object]:
    """The headline metrics of each run's first retriever (hybrid when present), on a 0..1 scale."""
    labels = [r.created_at.strftime("%Y-%m-%d %H:%M") for r in runs]
    series = []
    for metric, colour in zip(CHART_METRICS, CHART_COLOURS, strict=True):
        values = [_headline(run, metric) for run in runs]
        if any(v is not None for v in values):
            series.append(Series(metric, colour, values))
    return {"svg": line_chart("metric history", labels, series, y_format="{:.1f}".format), "series": series}


def _headline(run: EvalRunRecord, metric: str) -> float | None:
    retriever = "hybrid" if "hybrid" in run.runs else next(iter(run.runs), None)
    value = run.runs.get(retriever, {}).get(metric) if retriever else None
    return None if value is None else float(value)
