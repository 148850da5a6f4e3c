"""Does the vote prior help when votes agree with relevance, and cost little when they are noise?

On the golden set: votes are simulated from one half of the questions (members voting on the
answers they got: for each question, the top three documents hybrid retrieval returns, helpful
if the document is one of the question's gold documents, unhelpful if not), and nDCG@10 is
measured on the other half, so no question is ranked with votes it produced. Random votes: the
same number of votes per document, helpful or not by a coin (five seeds; mean and worst).

    python -m peerassist.evals.bench_vote_prior [--workdir .bench]
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from pathlib import Path

from peerassist.evals.datasets import load_golden
from peerassist.evals.runner import prepare, run, score
from peerassist.retriever.vote_prior import CAP, PSEUDO_VOTES, VotePrior
from peerassist.settings import Settings

CAPS = (0.1, 0.2, 0.3, 0.5, 1.0)
VOTED_DOCS = 3
SEEDS = range(5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, default=Path(".bench"))
    args = parser.parse_args()
    dataset = load_golden()
    prepared = prepare(dataset, Settings(data_dir=args.workdir))
    judged = [q for q in dataset.questions if q.answerable and q.gold_docs]
    voting, measured = judged[0::2], judged[1::2]

    def ndcg(counts: dict[str, tuple[int, int]] | None, cap: float = CAP) -> float:
        prepared.service.vote_prior = VotePrior(lambda: counts or {}, cap=cap)
        return float(score(run(prepared, measured, "hybrid"), has_answers=False)["ndcg@10"] or 0.0)

    keys = {key: doc_id for doc_id, key in prepared.keys.items()}
    helpful: Counter[str] = Counter()
    unhelpful: Counter[str] = Counter()
    for outcome in run(prepared, voting, "hybrid"):
        for key in outcome.ranked_docs[:VOTED_DOCS]:
            (helpful if key in outcome.question.gold_docs else unhelpful)[keys.get(key, key)] += 1
    agreeing = {d: (helpful[d], unhelpful[d]) for d in helpful.keys() | unhelpful.keys()}
    totals = {d: up + down for d, (up, down) in agreeing.items()}

    def random_votes(seed: int) -> dict[str, tuple[int, int]]:
        rng = random.Random(seed)
        counts = {}
        for doc, n in sorted(totals.items()):
            up = sum(rng.random() < 0.5 for _ in range(n))
            counts[doc] = (up, n - up)
        return counts

    baseline = ndcg(None)
    print(f"golden set: votes from {len(voting)} questions ({sum(totals.values())} votes on {len(totals)} documents), "
          f"nDCG@10 on the other {len(measured)}; pseudo-votes {PSEUDO_VOTES:g}")
    print(f"{'cap':>5}  {'no votes':>9}  {'agreeing':>9}  {'random mean':>11}  {'random worst':>12}")
    for cap in CAPS:
        noise = [ndcg(random_votes(seed), cap) for seed in SEEDS]
        print(f"{cap:>5.2f}  {baseline:>9.4f}  {ndcg(agreeing, cap):>9.4f}  {sum(noise) / len(noise):>11.4f}  {min(noise):>12.4f}"
              + ("   <- retriever.vote_prior.CAP" if cap == CAP else ""))


if __name__ == "__main__":
    main()
