"""Votes that change ranking: a bounded prior per document, added to the fused score.

    prior(d) = CAP * (helpful(d) - unhelpful(d)) / (helpful(d) + unhelpful(d) + PSEUDO_VOTES)

`helpful(d)` counts answers citing d that were voted helpful, plus approved community answers
that point to d (`doc_refs`); `unhelpful(d)` counts answers citing d voted unhelpful. The
pseudo-votes shrink a few votes towards zero (one 👍 is not evidence), and the prior never
leaves (-CAP, CAP): fused hybrid scores are z-scores, so CAP bounds how far votes can move a
passage against the retrievers' own evidence. Applied to hybrid retrieval only.

Measured by `python -m peerassist.evals.bench_vote_prior` (2026-11-25) on the golden set: 266
simulated votes from 90 questions on 34 documents, nDCG@10 on the other 89 questions (no votes:
0.8152); random votes are the same counts with coin-flip directions, five seeds:

    cap    agreeing votes   random, mean   random, worst
    0.10   0.8185           0.8152         0.8142
    0.20   0.8126           0.8155         0.8143
    0.30   0.8194           0.8163         0.8121
    0.50   0.8223           0.8136         0.8113     <- CAP
    1.00   0.8140           0.8018         0.7952

CAP 0.5 gains the most from agreeing votes (+0.007) and costs at most 0.004 with random ones;
at 1.0 random votes cost 0.020. The gain is small because a prior is per document, while
relevance is per question: a document that answers some questions well is cited, and voted
down, on others.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping

from peerassist.store import SearchHit

CAP = 0.5
PSEUDO_VOTES = 3.0
REFRESH_SECONDS = 30.0  # votes are re-read at most this often: ranking must not cost a query per ask

VoteCounts = Mapping[str, tuple[int, int]]  # doc id -> (helpful, unhelpful)


class VotePrior:
    def __init__(self, counts: Callable[[], VoteCounts], cap: float = CAP, pseudo_votes: float = PSEUDO_VOTES) -> None:
        self._counts = counts
        self.cap = cap
        self.pseudo_votes = pseudo_votes
        self._priors: dict[str, float] = {}
        self._read_at = float("-inf")
        self._lock = threading.Lock()

    def prior(self, doc_id: str) -> float:
        return self._current().get(doc_id, 0.0)

    def rerank(self, hits: list[SearchHit]) -> list[SearchHit]:
        """The hits with each document's prior added to its score, re-sorted (stable for equal scores)."""
        priors = self._current()
        if not priors:
            return hits
        for hit in hits:
            if (boost := priors.get(str(hit.metadata.get("doc_id")), 0.0)) != 0.0:
                hit.signals["vote_prior"] = boost
                hit.score += boost
        return sorted(hits, key=lambda h: h.score, reverse=True)

    def _current(self) -> dict[str, float]:
        with self._lock:
            if time.monotonic() - self._read_at >= REFRESH_SECONDS:
                self._priors = {
                    doc: self.cap * (up - down) / (up + down + self.pseudo_votes)
                    for doc, (up, down) in self._counts().items()
                    if up != down
                }
                self._read_at = time.monotonic()
            return self._priors
