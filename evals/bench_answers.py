"""Answer quality of bm25, dense and hybrid retrieval, in one run, on public data. Prints one table.

SQuAD 2.0 (dev half; each paragraph a document, ingested through the normal path):
  retrieval hit@1, hit@5, MRR@10, nDCG@10 of the gold paragraph; then, with the calibrated
  confidence threshold, the share of answerable questions answered, the share whose answer
  contains a gold answer, and the share of unanswerable questions refused.
HotpotQA (distractor sample): citation precision, the share of cited sentences that are
  gold supporting sentences.

The confidence model is fitted with `--calibrate` on the calibration split (even-numbered
SQuAD articles, plus HotpotQA questions asked of the SQuAD index as off-topic examples)
and written to retriever/calibration.json; figures are reported on the held-out odd
articles, so the threshold is never judged on the data that chose it.

    python -m evals.bench_answers [--calibrate] [--limit N] [--workdir .bench]
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from evals.datasets import EvalDataset, EvalQuestion, load_hotpot, load_squad
from evals.metrics import (
    contains_any,
    dedupe,
    hit_at,
    mrr_at,
    ndcg_at,
    normalize,
    percentile,
    token_f1,
)
from ingest.pipeline import Ingestor, doc_id_for
from peerassist.embeddings import get_embedding_model
from peerassist.settings import Settings
from peerassist.store import KnowledgeIndex
from retriever.confidence import CALIBRATION_FILE, ConfidenceModel
from retriever.evidence import FEATURES
from retriever.extractive import select_sentences
from retriever.filters import SearchFilter
from retriever.llm import Claim
from retriever.service import AnswerService, AskOptions, compose_text

RETRIEVER_NAMES = ("bm25", "dense", "hybrid")
ANSWERED_TARGET = 0.90


@dataclass
class Outcome:
    """What one retriever did with one question, before any threshold is applied."""

    question: EvalQuestion
    ranked_docs: list[str]
    features: dict[str, float]
    answer: str
    cited: list[str]
    seconds: float

    @property
    def correct(self) -> bool:
        return self.question.answerable and bool(contains_any(self.answer, self.question.answers))


def prepare(dataset: EvalDataset, workdir: Path) -> tuple[AnswerService, dict[str, str]]:
    """Ingest the dataset into its own data dir (incremental: a rerun re-embeds nothing)."""
    settings = Settings(data_dir=workdir / dataset.name / "data", collection=dataset.name)
    keys = {doc_id_for(path): key for path, key in dataset.write(workdir / dataset.name / "docs").items()}
    report = Ingestor(KnowledgeIndex(settings)).run([workdir / dataset.name / "docs"], sync=True)
    print(f"{dataset.name}: {len(keys)} documents ({report.added} added, {report.unchanged} unchanged)", flush=True)
    return AnswerService(settings, log_queries=False), keys


def run(service: AnswerService, keys: dict[str, str], questions: list[EvalQuestion], retriever: str) -> list[Outcome]:
    model = get_embedding_model(service.settings.embedding_model)
    vectors = model.embed([q.question for q in questions])
    options = AskOptions(retriever=retriever, k=10, filter=SearchFilter(role="admin"))
    outcomes = []
    for question, vector in zip(questions, vectors, strict=True):
        started = time.perf_counter()
        evidence, hits = service.retrieve(question.question, options, vector)
        chosen = select_sentences(evidence)
        answer = compose_text([Claim(s.text, s.hit, s.text) for s in chosen])
        seconds = time.perf_counter() - started
        ranked = dedupe([keys.get(str(h.metadata.get("doc_id")), "?") for h in hits])
        outcomes.append(Outcome(question, ranked, evidence.features, answer, [s.text for s in chosen], seconds))
    return outcomes


def fit(positives_and_negatives: list[Outcome]) -> ConfidenceModel:
    """Logistic regression of 'the composed answer is right' on the evidence features."""
    from sklearn.linear_model import LogisticRegression

    x = np.array([[o.features.get(f, 0.0) for f in FEATURES] for o in positives_and_negatives])
    y = np.array([o.correct for o in positives_and_negatives])
    clf = LogisticRegression(C=1.0, max_iter=1000, class_weight="balanced").fit(x, y)
    model = ConfidenceModel(dict(zip(FEATURES, map(float, clf.coef_[0]), strict=True)), float(clf.intercept_[0]), 0.5)
    return ConfidenceModel(model.weights, model.bias, choose_threshold(model, positives_and_negatives))


def choose_threshold(model: ConfidenceModel, outcomes: list[Outcome]) -> float:
    """The highest threshold that still answers ANSWERED_TARGET of the answerable questions.

    Answering fewer would fail members who ask what the documents do say; any lower
    threshold would answer more of what the documents do not say.
    """
    scores = sorted(model.confidence(o.features) for o in outcomes if o.question.answerable)
    return round(scores[int((1 - ANSWERED_TARGET) * len(scores))] if scores else 0.5, 4)


def qa_metrics(outcomes: list[Outcome], model: ConfidenceModel) -> dict[str, float]:
    answerable = [o for o in outcomes if o.question.answerable]
    unanswerable = [o for o in outcomes if not o.question.answerable]
    answered = {id(o): model.answers(model.confidence(o.features)) for o in outcomes}
    refused = [o for o in outcomes if not answered[id(o)]]
    return {
        "hit@1": _mean(hit_at(o.ranked_docs, o.question.gold_docs, 1) for o in answerable),
        "hit@5": _mean(hit_at(o.ranked_docs, o.question.gold_docs, 5) for o in answerable),
        "mrr@10": _mean(mrr_at(o.ranked_docs, o.question.gold_docs) for o in answerable),
        "ndcg@10": _mean(ndcg_at(o.ranked_docs, o.question.gold_docs) for o in answerable),
        "answered_rate": _mean(answered[id(o)] for o in answerable),
        "answer_contains": _mean(answered[id(o)] and o.correct for o in answerable),
        "contains_if_answered": _mean(o.correct for o in answerable if answered[id(o)]),
        "token_f1": _mean(token_f1(o.answer, o.question.answers) if answered[id(o)] else 0.0 for o in answerable),
        "abstain_recall": _mean(not answered[id(o)] for o in unanswerable),
        "abstain_precision": _mean(not o.question.answerable for o in refused),
        "latency_p50_ms": percentile([o.seconds * 1000 for o in outcomes], 50),
        "latency_p95_ms": percentile([o.seconds * 1000 for o in outcomes], 95),
    }


def citation_precision(outcomes: list[Outcome], model: ConfidenceModel) -> float:
    """Share of cited sentences (in answered questions) that are gold supporting sentences."""
    cited = [
        (sentence, o.question.supporting)
        for o in outcomes
        if model.answers(model.confidence(o.features))
        for sentence in o.cited
    ]
    return _mean(any(_same_sentence(s, gold) for gold in support) for s, support in cited)


def _same_sentence(a: str, b: str) -> bool:
    a, b = normalize(a), normalize(b)
    return bool(a and b) and (a == b or a in b or b in a)


def _mean(values) -> float:  # type: ignore[no-untyped-def]
    values = [float(v) for v in values]
    return sum(values) / len(values) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, default=Path(".bench"))
    parser.add_argument("--limit", type=int, default=0, help="SQuAD questions per split (0 = all)")
    parser.add_argument("--calibrate", action="store_true", help=f"fit and write {CALIBRATION_FILE.name}")
    args = parser.parse_args()

    squad, hotpot = load_squad(), load_hotpot()
    squad_service, squad_keys = prepare(squad, args.workdir)
    hotpot_service, hotpot_keys = prepare(hotpot, args.workdir)
    calibration = [q for q in squad.questions if q.group % 2 == 0][: args.limit or None]
    held_out = [q for q in squad.questions if q.group % 2 == 1][: args.limit or None]
    off_topic = [EvalQuestion(q.id, q.question, [], set(), False) for q in hotpot.questions]

    model = ConfidenceModel.load()
    if args.calibrate:
        fitted_on = run(squad_service, squad_keys, calibration + off_topic, "hybrid")
        model = fit(fitted_on)
        CALIBRATION_FILE.write_text(
            json.dumps(
                {
                    "weights": model.weights,
                    "bias": model.bias,
                    "threshold": model.threshold,
                    "fitted_on": f"evals/bench_answers.py --calibrate: {len(fitted_on)} questions "
                    "(even SQuAD 2.0 dev-half articles + HotpotQA questions as off-topic)",
                },
                indent=2,
            )
            + "\n"
        )
        print(f"calibrated: threshold {model.threshold}, weights written to {CALIBRATION_FILE}")

    rows = {}
    for name in RETRIEVER_NAMES:
        started = time.perf_counter()
        rows[name] = qa_metrics(run(squad_service, squad_keys, held_out, name), model)
        rows[name]["citation_precision"] = citation_precision(run(hotpot_service, hotpot_keys, hotpot.questions, name), model)
        rows[name]["seconds"] = time.perf_counter() - started
    off = run(squad_service, squad_keys, off_topic, "hybrid")
    print_table(rows, len(held_out), _mean(not model.answers(model.confidence(o.features)) for o in off))


def print_table(rows: dict[str, dict[str, float]], n: int, off_topic_refused: float) -> None:
    metrics = list(next(iter(rows.values())))
    print(f"\nSQuAD 2.0 held-out split ({n} questions; odd articles) + HotpotQA citation precision")
    print(f"{'metric':<22}" + "".join(f"{name:>10}" for name in rows))
    for metric in metrics:
        print(f"{metric:<22}" + "".join(f"{rows[name][metric]:>10.3f}" for name in rows))
    best_single = max(rows["bm25"]["ndcg@10"], rows["dense"]["ndcg@10"])
    print(f"\nhybrid nDCG@10 - best single = {rows['hybrid']['ndcg@10'] - best_single:+.3f} (target >= +0.03)")
    print(f"off-topic (HotpotQA asked of SQuAD) refused by hybrid: {off_topic_refused:.3f}")


if __name__ == "__main__":
    main()
