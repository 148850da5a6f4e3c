from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from peerassist.evals import history
from peerassist.cli import app
from peerassist.db import Database
from peerassist.settings import Settings


def test_report_renders_metrics_failures_and_history_chart_safely(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PEERASSIST_DATA_DIR", str(tmp_path / "data"))
    settings = Settings(data_dir=tmp_path / "data")
    db = Database(settings.sqlalchemy_url)
    failure = {"id": "x", "question": "<script>alert(1)</script>", "standalone": "<script>alert(1)</script>",
               "expected": ["Room 4B"], "expected_sources": ["a.md"], "got": "(refused)", "cited": [], "confidence": 0.1}
    for ndcg in (0.7, 0.8, 0.9):
        history.record(db, settings, "golden", 10, {"hybrid": {"ndcg@10": ndcg, "answer_contains": 0.5}}, {"hybrid": [failure]})
    out = tmp_path / "evals.html"
    done = CliRunner().invoke(app, ["eval", "report", "--out", str(out)])
    assert done.exit_code == 0, done.output
    html = out.read_text()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count('class="series"') == 2  # ndcg@10 and answer_contains over the three runs
    assert "0.900" in html and "Room 4B" in html
    bad = CliRunner().invoke(app, ["eval", "report", "--out", str(tmp_path / "evals.pdf")])
    assert bad.exit_code == 2
