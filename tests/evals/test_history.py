"""History, baselines and the regression gate, through the CLI as CI runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peerassist.evals import history
from peerassist.cli import app
from peerassist.db import Database
from peerassist.settings import Settings

runner = CliRunner()
BASE = {"hybrid": {"ndcg@10": 0.80, "answer_contains": 0.60, "abstain_precision": None, "latency_p95_ms": 20.0}}


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("PEERASSIST_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(history, "BASELINE_DIR", tmp_path / "baselines")
    settings = Settings(data_dir=tmp_path / "data")
    row = history.record(Database(settings.sqlalchemy_url), settings, "golden", 100, BASE, {"hybrid": []})
    history.save_baseline("golden", row)
    return settings


def record(settings: Settings, **changes: float) -> None:
    runs = {"hybrid": BASE["hybrid"] | changes}
    history.record(Database(settings.sqlalchemy_url), settings, "golden", 100, runs, {"hybrid": []})


def test_noise_within_tolerance_passes(env: Settings) -> None:
    record(env, **{"ndcg@10": 0.79, "answer_contains": 0.61, "latency_p95_ms": 35.0})
    done = runner.invoke(app, ["eval", "compare", "--baseline", "golden"])
    assert done.exit_code == 0, done.output
    assert "no regression" in done.output


@pytest.mark.parametrize(("metric", "value"), [("answer_contains", 0.55), ("ndcg@10", 0.70), ("latency_p95_ms", 200.0)])
def test_a_regression_fails_naming_the_metric(env: Settings, metric: str, value: float) -> None:
    record(env, **{metric: value})
    done = runner.invoke(app, ["eval", "compare", "--baseline", "golden"])
    assert done.exit_code == 1
    assert f"hybrid {metric}" in done.output and "REGRESSED" in done.output


def test_compare_needs_a_known_baseline_and_a_run(env: Settings, tmp_path: Path) -> None:
    done = runner.invoke(app, ["eval", "compare", "--baseline", "nope"])
    assert done.exit_code == 2 and "no baseline named 'nope'" in done.output
    (tmp_path / "baselines" / "other.json").write_text(json.dumps({"dataset": "squad:x", "git_commit": "x", "runs": BASE}))
    done = runner.invoke(app, ["eval", "compare", "--baseline", "other"])
    assert done.exit_code == 2 and "no recorded run of dataset 'squad:x'" in done.output


def test_history_lists_runs_oldest_first(env: Settings) -> None:
    record(env, **{"ndcg@10": 0.9})
    rows = history.history(Database(env.sqlalchemy_url), "golden")
    assert [r.runs["hybrid"]["ndcg@10"] for r in rows] == [0.80, 0.9]
    done = runner.invoke(app, ["eval", "history"])
    assert done.exit_code == 0 and done.output.count("golden") == 2
