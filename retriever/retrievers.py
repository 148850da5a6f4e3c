"""The three retrievers a call can pick: lexical BM25, dense embeddings, and both fused."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from peerassist.store import SearchHit
from retriever.base import Query, Retriever

# Share of the fused score that comes from BM25 (the rest from dense similarity).
LEXICAL_WEIGHT = 0.5
# How deep each retriever looks before fusion: fusion can lift a hit from well below k.
FUSION_DEPTH = 30


class DenseRetriever:
    name = "dense"

    def retrieve(self, query: Query, k: int) -> list[SearchHit]:
        if query.allowed_docs is not None and not query.allowed_docs:
            return []
        hits = query.snapshot.generation.search(
            query.vector, k=k, where=query.chroma_where(), live=query.snapshot.live_hashes
        )
        for hit in hits:
            hit.signals["dense"] = hit.score
        return hits


class BM25Retriever:
    name = "bm25"

    def retrieve(self, query: Query, k: int) -> list[SearchHit]:
        hits = query.snapshot.lexical.search(query.text, k, query.allowed_docs)
        for hit in hits:
            hit.signals["bm25"] = hit.score
        return hits


class HybridRetriever:
    """BM25 and dense fused by a weighted sum of per-query normalised scores.

    Measured on SQuAD 2.0 (evals/bench_answers.py): reciprocal rank fusion did not beat BM25
    alone there, while the score sum did, because it keeps how far ahead the best hit is.
    """

    name = "hybrid"

    def __init__(self, lexical_weight: float = LEXICAL_WEIGHT) -> None:
        self.lexical_weight = lexical_weight

    def retrieve(self, query: Query, k: int) -> list[SearchHit]:
        depth = max(k, FUSION_DEPTH)
        lexical = BM25Retriever().retrieve(query, depth)
        dense = DenseRetriever().retrieve(query, depth)
        return fuse_scores([(lexical, self.lexical_weight), (dense, 1.0 - self.lexical_weight)])[:k]


def fuse_scores(rankings: list[tuple[list[SearchHit], float]]) -> list[SearchHit]:
    """Weighted sum of z-scored retriever scores; a chunk one retriever missed gets that list's lowest."""
    fused: dict[str, float] = defaultdict(float)
    merged: dict[str, SearchHit] = {}
    for hits, _ in rankings:
        for hit in hits:
            if hit.chunk_id in merged:
                merged[hit.chunk_id].signals.update(hit.signals)
            else:
                merged[hit.chunk_id] = hit
    for hits, weight in rankings:
        if not hits:
            continue
        scores = np.array([h.score for h in hits])
        normalised = dict(zip((h.chunk_id for h in hits), (scores - scores.mean()) / (scores.std() or 1.0), strict=True))
        floor = min(normalised.values())
        for chunk_id in merged:
            fused[chunk_id] += weight * normalised.get(chunk_id, floor)
    for chunk_id, hit in merged.items():
        hit.score = fused[chunk_id]
    return sorted(merged.values(), key=lambda h: h.score, reverse=True)


RETRIEVERS: dict[str, type[Retriever]] = {
    "bm25": BM25Retriever,
    "dense": DenseRetriever,
    "hybrid": HybridRetriever,
}
