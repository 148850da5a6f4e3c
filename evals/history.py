"""Eval runs over time: every run goes to the records database; baselines are committed files.

A baseline lives in `evals/baselines/NAME.json` so that CI, on a clean clone, compares a
fresh run against the figures the team agreed on; `eval compare` exits 1 on a regression.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from peerassist.db import Database, EvalRunRecord, utcnow
from peerassist.settings import Settings
from peerassist.retriever.confidence import CALIBRATION_FILE

BASELINE_DIR = Path(__file__).resolve().parent / "baselines"
# Worse by more than this fails the comparison. The answer path is deterministic, but float
# noise across machines can flip a borderline question, so each rate may drop by a little more
# than one question's worth: ~86 answerable golden questions (0.012 each), 18 unanswerable (0.056).
RATE_TOLERANCE = 0.02
# The member-style questions: 18 unanswerable (0.056 each), ~93 answerable (0.011 each).
TOLERANCES = {
    "abstain_recall": 0.06,
    "abstain_precision": 0.06,
    "citation_precision": 0.03,
    "citation_recall": 0.03,
    "unanswerable_refused": 0.06,
}
LATENCY_FACTOR = 2.0
LATENCY_SLACK_MS = 50.0
LATENCIES = {"latency_p50_ms", "latency_p95_ms"}
LOWER_IS_BETTER = LATENCIES | {"false_refusal_rate", "restriction_not_first"}


def git_commit() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False,
            cwd=Path(__file__).resolve().parents[1],
        )
    except OSError:
        return "unknown"
    return done.stdout.strip() or "unknown"


def fingerprint(settings: Settings) -> str:
    """What, besides the code, decides the answers: index settings and the confidence calibration."""
    material = json.dumps(settings.index_manifest(), sort_keys=True) + CALIBRATION_FILE.read_text(encoding="utf-8")
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def record(db: Database, settings: Settings, dataset: str, count: int, runs: dict[str, Any], failures: dict[str, Any]) -> EvalRunRecord:
    row = EvalRunRecord(
        dataset=dataset, git_commit=git_commit(), fingerprint=fingerprint(settings),
        question_count=count, runs=runs, failures=failures, created_at=utcnow(),
    )
    with db.session() as session:
        session.add(row)
    return row


def history(db: Database, dataset: str | None = None) -> list[EvalRunRecord]:
    with db.session() as session:
        query = select(EvalRunRecord).order_by(EvalRunRecord.created_at, EvalRunRecord.id)
        if dataset:
            query = query.where(EvalRunRecord.dataset == dataset)
        return list(session.scalars(query).all())


class BaselineError(LookupError):
    pass


def baseline_path(name: str) -> Path:
    if not name.replace("-", "").replace("_", "").isalnum():
        raise BaselineError(f"baseline name {name!r} may only hold letters, digits, '-' and '_'")
    return BASELINE_DIR / f"{name}.json"


def save_baseline(name: str, row: EvalRunRecord) -> Path:
    path = baseline_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "dataset": row.dataset, "git_commit": row.git_commit, "fingerprint": row.fingerprint,
        "created_at": row.created_at.isoformat(), "question_count": row.question_count, "runs": row.runs,
    }
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def load_baseline(name: str) -> dict[str, Any]:
    path = baseline_path(name)
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in BASELINE_DIR.glob("*.json"))) or "none"
        raise BaselineError(f"no baseline named {name!r} (known: {known}); record one with --set-baseline {name}")
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass
class MetricComparison:
    retriever: str
    metric: str
    baseline: float
    current: float
    allowed: float  # the worst current value that still passes

    @property
    def regressed(self) -> bool:
        if self.metric in LOWER_IS_BETTER:
            return self.current > self.allowed
        return self.current < self.allowed


def compare(baseline: dict[str, dict[str, Any]], current: dict[str, dict[str, Any]]) -> list[MetricComparison]:
    """Every metric present in both, per retriever, with the bound it must stay within."""
    rows = []
    for retriever, metrics in baseline.items():
        for metric, base in metrics.items():
            now = current.get(retriever, {}).get(metric)
            if base is None or now is None:
                continue
            if metric in LATENCIES:
                allowed = base * LATENCY_FACTOR + LATENCY_SLACK_MS
            elif metric in LOWER_IS_BETTER:
                allowed = base + TOLERANCES.get(metric, RATE_TOLERANCE)
            else:
                allowed = base - TOLERANCES.get(metric, RATE_TOLERANCE)
            rows.append(MetricComparison(retriever, metric, float(base), float(now), round(allowed, 4)))
    return rows
