"""In-process answer time on the sample knowledge base: `AnswerService.ask` end to end
(retrieve, score, compose or refuse, log), every golden question asked as a member, after one
warm-up pass (the model and caches loaded, as in a running server). Prints p50/p95/max, and
against it the floor measured in the same run: what one retrieval alone costs (the member's snapshot
and filter, embedding the question, the vector search as the dense retriever asks it and the BM25
search, each to the hybrid retriever's depth). A question with context before the sentence that
asks is searched twice (retriever/service.py, ASKED_SENTENCE_WEIGHT), so it costs more than one floor.
Target: answer p50 <= 1.5x the floor's p50.

    python -m peerassist.evals.bench_answer_time [--rounds 3] [--workdir .bench/answer-time]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from peerassist import query_log
from peerassist.evals.datasets import load_golden
from peerassist.evals.metrics import percentile
from peerassist.ingest.pipeline import Ingestor
from peerassist.settings import Settings
from peerassist.store import KnowledgeIndex
from peerassist.retriever.retrievers import FUSION
from peerassist.retriever.service import AnswerService, AskOptions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="measured passes over the questions")
    parser.add_argument("--workdir", type=Path, default=Path(".bench/answer-time"))
    args = parser.parse_args()

    golden = load_golden()
    questions = [q.question for q in golden.questions if not q.conversation and q.role == "member"]
    settings = Settings(data_dir=args.workdir)
    index = KnowledgeIndex(settings)
    # A workdir left by another version of the chunker or model is rebuilt, as the eval runner does.
    rebuild = bool(index.manifest_mismatch() and index.generation().documents())
    Ingestor(index).run([golden.corpus_dir], sync=True, rebuild=rebuild)  # type: ignore[list-item]
    service = AnswerService(settings, log_queries=True)
    for question in questions:
        service.ask(question)
    timings, floor = [], []
    for _ in range(args.rounds):
        for question in questions:
            started = time.perf_counter()
            service.ask(question)
            timings.append((time.perf_counter() - started) * 1000)
            query_log.settled(service.index.db)  # its log row, written behind the answer, does not slow the floor
            started = time.perf_counter()
            # One search as the member's question makes it: the same filter, Chroma asked as the dense retriever asks.
            query = service.query(question, AskOptions(log=False))
            query.snapshot.generation.nearest(query.vector, FUSION.depth, where=query.chroma_where())
            query.snapshot.lexical.search(question, FUSION.depth, query.allowed_docs)
            floor.append((time.perf_counter() - started) * 1000)
    print(
        f"answer time in-process, {len(questions)} golden questions x {args.rounds}: "
        f"p50 {percentile(timings, 50):.1f} ms, p95 {percentile(timings, 95):.1f} ms, max {max(timings):.1f} ms"
    )
    print(
        f"floor (embed + vector search + BM25): p50 {percentile(floor, 50):.1f} ms, p95 {percentile(floor, 95):.1f} ms; "
        f"answer p50 / floor p50 = {percentile(timings, 50) / percentile(floor, 50):.2f} (target <= 1.5)"
    )


if __name__ == "__main__":
    main()
