"""Facilitator digest: how fast the dashboard loads, and how well gap questions are grouped. Prints, asserts nothing.

A query log is seeded into a fresh copy of the sample knowledge base: gap questions drawn
from a few SQuAD 2.0 articles (off-topic for the sample KB, so really unanswered) over 60
days, and three times as many answered questions. Figures, all measured in this one run:
  - a cold digest build (new process state: nothing embedded or parsed yet) and a warm one
    (the dashboard reloaded), each against the baseline of embedding the same gap questions
    once, the least any grouping by meaning must cost;
  - rendering the HTML and Markdown reports;
  - topic quality: purity and adjusted Rand index of the topics against the SQuAD article
    each question came from (one article = one true topic).

    python -m peerassist.evals.bench_insights [--gaps 500] [--articles 8]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

from peerassist.evals.bench_ingest import DEFAULT_DATASET
from peerassist.ingest.pipeline import Ingestor
from peerassist.insights import digest, gaps
from peerassist import query_log
from peerassist.db import QueryRecord, utcnow
from peerassist.embeddings import embedding_model_for
from peerassist.settings import Settings
from peerassist.store import KnowledgeIndex
from peerassist.nlp import noun_phrases
from peerassist.retriever.service import AnswerService

SAMPLE_KB = Path(__file__).resolve().parents[1] / "examples" / "knowledge-base"
ANSWERED = "Which room do we meet in?"


def seed(service: AnswerService, questions: list[tuple[str, int]], gap_count: int) -> dict[str, int]:
    """`gap_count` unanswered questions and three times as many answered ones; query id -> article."""
    rng = random.Random(7)
    article_of, records = {}, []
    for i in range(gap_count * 4):
        gap = i < gap_count
        question, article = rng.choice(questions) if gap else (ANSWERED, -1)
        query_id = uuid.uuid4().hex
        records.append(QueryRecord(
            id=query_id, conversation_id=query_id, asker=f"member-{i % 97}", question=question,
            standalone_question=question, answer="", answered=not gap, confidence=0.05 if gap else 0.9,
            retriever="hybrid", answerer="extractive", cited_chunks=[], cited_docs=[], latency_ms=20.0,
            created_at=utcnow() - timedelta(days=rng.random() * 60),
        ))
        if gap:
            article_of[query_id] = article
    query_log.log_questions(service.index.db, records)
    return article_of


def timed(work):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--gaps", type=int, default=500, help="unanswered questions in the 60-day log")
    parser.add_argument("--articles", type=int, default=8, help="SQuAD articles the gap questions come from")
    args = parser.parse_args()

    data = json.loads(args.dataset.read_text(encoding="utf-8"))["data"][: args.articles]
    questions = [(qa["question"], a) for a, article in enumerate(data) for p in article["paragraphs"] for qa in p["qas"]]
    with tempfile.TemporaryDirectory(prefix="bench-insights-") as tmp:
        settings = Settings(data_dir=Path(tmp) / "data")
        model = embedding_model_for(settings)
        assert not Ingestor(KnowledgeIndex(settings), model=model).run([SAMPLE_KB]).failed
        service = AnswerService(settings)
        article_of = seed(service, questions, args.gaps)
        service.search("warm up the retrievers", gaps.AskOptions())

        current = gaps.candidates(service, utcnow() - timedelta(days=30))
        everything = current + gaps.candidates(service, utcnow() - timedelta(days=60), utcnow() - timedelta(days=30))
        texts = [c.query.standalone_question for c in everything]
        _, embed_once = timed(lambda: model.embed(texts))

        gaps._question_vectors.cache_clear()
        noun_phrases.cache_clear()
        cold, cold_s = timed(lambda: digest.build(service, 30))
        _, warm_s = timed(lambda: digest.build(service, 30))
        _, html_s = timed(lambda: digest.render_html(cold))
        _, md_s = timed(lambda: digest.write_markdown(cold, Path(tmp) / "digest.md"))

    purity, ari = topic_quality(cold.gaps, article_of)
    rows = [
        ("gap questions this period / before", f"{len(current)} / {len(everything) - len(current)}"),
        ("topics found (true: articles)", f"{len(cold.gaps)} ({args.articles})"),
        ("baseline: embed the gap questions once, s", f"{embed_once:.2f}"),
        ("cold digest build, s", f"{cold_s:.2f}"),
        ("  ratio to baseline", f"{cold_s / embed_once:.1f}"),
        ("warm digest build (dashboard reload), s", f"{warm_s:.2f}"),
        ("  ratio to baseline", f"{warm_s / embed_once:.1f}"),
        ("render HTML / Markdown, s", f"{html_s:.3f} / {md_s:.3f}"),
        ("topic purity vs article", f"{purity:.3f}"),
        ("adjusted Rand index vs article", f"{ari:.3f}"),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"Insights benchmark: {args.gaps} gap questions from {args.articles} SQuAD articles, sample KB")
    for name, value in rows:
        print(f"  {name:<{width}}  {value:>12}")


def topic_quality(topics: list[gaps.GapTopic], article_of: dict[str, int]) -> tuple[float, float]:
    """Purity (share of questions in their topic's majority article) and the adjusted Rand index."""
    from sklearn.metrics import adjusted_rand_score

    truth, found, majority = [], [], 0
    for n, topic in enumerate(topics):
        articles = [article_of[q] for q in topic.query_ids]
        majority += Counter(articles).most_common(1)[0][1]
        truth += articles
        found += [n] * len(articles)
    return majority / max(len(truth), 1), adjusted_rand_score(truth, found)


if __name__ == "__main__":
    main()
