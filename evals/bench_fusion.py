"""bm25 / dense / hybrid nDCG@10 on every kind of question, and the fusion settings behind hybrid.

Sets: SQuAD 2.0 dev half (questions written while reading the paragraph), the DBpedia-entity
subset (keyword queries written without seeing the documents) and the golden set (the sample
knowledge base; most questions in members' own words). Each set's questions are split in two
by topic (`group`). Every fusion variant is scored on the fit half; the one chosen has the
highest mean margin over the better single retriever among those within 0.005 of it on every
set (or, if none is, the best worst margin). The figures printed are from the other half, and
then the same with the halves swapped, so every question is reported once by a choice that
never saw it (DBpedia has only 40 judged queries: one query moves its half's mean by 0.025).

Each retriever is run once per question to depth `MAX_DEPTH`; the variants re-fuse those
scores with `retriever.fusion.Fusion`, the code the hybrid retriever runs.

    python -m peerassist.evals.bench_fusion [--workdir .bench] [--limit N]
"""

from __future__ import annotations

import argparse
import itertools
import time
from dataclasses import dataclass
from pathlib import Path

from peerassist.evals.datasets import SHARED_DATASETS, EvalDataset, load_beir, load_golden, load_squad
from peerassist.evals.metrics import dedupe, ndcg_at
from peerassist.evals.runner import PreparedDataset, prepare
from peerassist.settings import Settings
from peerassist.retriever.filters import SearchFilter
from peerassist.retriever.fusion import Fusion
from peerassist.retriever.retrievers import FUSION, BM25Retriever, DenseRetriever
from peerassist.retriever.service import AskOptions

MAX_DEPTH = 100
VARIANTS = [
    Fusion(weight, "z", depth, adaptive, disagreement)
    for weight, depth, adaptive, disagreement in itertools.product(
        (0.1, 0.2, 0.4, 0.5, 0.6, 0.8), (10, 30, 100), (0.0, 4.0, 8.0, 12.0), (0.0, 2.0, 4.0, 6.0)
    )
]
TOLERANCE = 0.005


@dataclass
class Retrieved:
    """One question's raw scores from each retriever, best first, and its gold documents."""

    lexical: list[tuple[str, float]]
    dense: list[tuple[str, float]]
    gold: set[str]
    fit_half: bool


def collect(prepared: PreparedDataset, limit: int) -> tuple[list[Retrieved], dict[str, str]]:
    """Both retrievers' top MAX_DEPTH chunks per question; chunk id -> document key."""
    service = prepared.service
    model = service.view.current().generation.model
    questions = [q for q in prepared.dataset.questions if q.gold_docs and q.answerable][: limit or None]
    vectors = model.embed([q.question for q in questions])
    doc_of: dict[str, str] = {}
    collected = []
    for question, vector in zip(questions, vectors, strict=True):
        query = service.query(question.question, AskOptions(filter=SearchFilter(role=question.role)), vector)
        lexical, dense = BM25Retriever().retrieve(query, MAX_DEPTH), DenseRetriever().retrieve(query, MAX_DEPTH)
        for hit in lexical + dense:
            doc_of[hit.chunk_id] = prepared.keys.get(str(hit.metadata.get("doc_id")), "?")
        collected.append(
            Retrieved(
                [(h.chunk_id, h.score) for h in lexical],
                [(h.chunk_id, h.score) for h in dense],
                question.gold_docs,
                question.group % 2 == 0,
            )
        )
    return collected, doc_of


def ndcg(ranked_chunks: list[str], retrieved: Retrieved, doc_of: dict[str, str]) -> float:
    return ndcg_at(dedupe([doc_of[c] for c in ranked_chunks]), retrieved.gold, 10)


def fused_ndcg(fusion: Fusion, retrieved: Retrieved, doc_of: dict[str, str]) -> float:
    scores = fusion.scores(dict(retrieved.lexical[: fusion.depth]), dict(retrieved.dense[: fusion.depth]))
    return ndcg(sorted(scores, key=scores.__getitem__, reverse=True), retrieved, doc_of)


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, default=Path(".bench"))
    parser.add_argument("--limit", type=int, default=0, help="questions per set (0 = all)")
    args = parser.parse_args()
    settings = Settings(data_dir=args.workdir)
    datasets: list[EvalDataset] = [load_squad(), load_beir(SHARED_DATASETS / "dbpedia-entity-5k"), load_golden()]

    started = time.perf_counter()
    sets = {}
    for dataset in datasets:
        retrieved, doc_of = collect(prepare(dataset, settings), args.limit)
        sets[dataset.name] = (retrieved, doc_of)
    print(f"retrieved in {time.perf_counter() - started:.0f} s")

    def table(fit_half: bool) -> dict[str, dict[str, float]]:
        """nDCG@10 per set: bm25, dense, then each variant."""
        result: dict[str, dict[str, float]] = {}
        for name, (retrieved, doc_of) in sets.items():
            half = [r for r in retrieved if r.fit_half == fit_half]
            row = {
                "bm25": mean([ndcg([c for c, _ in r.lexical], r, doc_of) for r in half]),
                "dense": mean([ndcg([c for c, _ in r.dense], r, doc_of) for r in half]),
            }
            for i, fusion in enumerate(VARIANTS):
                row[f"v{i}"] = mean([fused_ndcg(fusion, r, doc_of) for r in half])
            row["current"] = mean([fused_ndcg(FUSION, r, doc_of) for r in half])
            result[name] = row
        return result

    def margins(rows: dict[str, dict[str, float]], key: str) -> tuple[float, float]:
        """(worst, mean) margin over the better single retriever across the sets."""
        each = [row[key] - max(row["bm25"], row["dense"]) for row in rows.values()]
        return min(each), mean(each)

    def choose(rows: dict[str, dict[str, float]]) -> str:
        keys = [f"v{i}" for i in range(len(VARIANTS))]
        feasible = [k for k in keys if margins(rows, k)[0] >= -TOLERANCE]
        if feasible:
            return max(feasible, key=lambda k: margins(rows, k)[1])
        return max(keys, key=lambda k: margins(rows, k))

    halves = {True: table(fit_half=True), False: table(fit_half=False)}
    old_key = f"v{VARIANTS.index(Fusion(0.5, 'z', 30, 0.0))}"
    confidence_key = f"v{VARIANTS.index(Fusion(0.2, 'z', 30, 4.0))}"  # the choice before agreement counted
    for fit_half in (True, False):
        chosen_key = choose(halves[fit_half])
        held = halves[not fit_half]
        print(f"\nchosen on the {'first' if fit_half else 'second'} half: {VARIANTS[int(chosen_key[1:])]}")
        print(f"nDCG@10 on the {'second' if fit_half else 'first'} half")
        print(f"{'set':<28}{'n':>6}{'bm25':>8}{'dense':>8}{'old 0.5':>9}{'conf.':>8}{'chosen':>8}{'in code':>9}")
        for name, row in held.items():
            n = sum(r.fit_half != fit_half for r in sets[name][0])
            print(
                f"{name:<28}{n:>6}{row['bm25']:>8.4f}{row['dense']:>8.4f}{row[old_key]:>9.4f}"
                f"{row[confidence_key]:>8.4f}{row[chosen_key]:>8.4f}{row['current']:>9.4f}"
            )
        for label, key in (("chosen", chosen_key), ("in code", "current"), ("conf. only", confidence_key), ("old 0.5", old_key)):
            worst, average = margins(held, key)
            print(f"  {label}: margin over the better single retriever: worst {worst:+.4f}, mean {average:+.4f}")


if __name__ == "__main__":
    main()
