"""`peerassist eval report`: one self-contained HTML page (no scripts, all text escaped)."""

from __future__ import annotations

from pathlib import Path

from peerassist.db import EvalRunRecord

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
CHART_METRICS = ("ndcg@10", "answer_contains", "answered_rate", "abstain_recall")
CHART_COLOURS = ("#1f77b4", "#2ca02c", "#ff7f0e", "#d62728")
WIDTH, HEIGHT, PAD = 640, 220, 36


def render(runs: list[EvalRunRecord]) -> str:
    """The latest run's tables and failures, and each dataset's metric history as an SVG chart."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=select_autoescape(["html", "j2"]))
    latest = runs[-1] if runs else None
    datasets = sorted({r.dataset for r in runs})
    charts = {name: history_chart([r for r in runs if r.dataset == name]) for name in datasets}
    return env.get_template("report.html.j2").render(latest=latest, charts=charts, runs=runs)


def history_chart(runs: list[EvalRunRecord]) -> dict[str, object]:
    """Polylines of the headline metrics of each run's first retriever (hybrid when present), 0..1 scale."""
    series = []
    n = len(runs)
    for metric, colour in zip(CHART_METRICS, CHART_COLOURS, strict=True):
        points = []
        for i, run in enumerate(runs):
            retriever = "hybrid" if "hybrid" in run.runs else next(iter(run.runs), None)
            value = run.runs.get(retriever, {}).get(metric) if retriever else None
            if value is None:
                continue
            x = PAD + (WIDTH - 2 * PAD) * (i / (n - 1) if n > 1 else 0.5)
            y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * float(value)
            points.append((round(x, 1), round(y, 1), value, run.created_at.strftime("%Y-%m-%d %H:%M")))
        if points:
            series.append({"metric": metric, "colour": colour, "points": points})
    return {"width": WIDTH, "height": HEIGHT, "pad": PAD, "series": series}
