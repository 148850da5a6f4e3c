"""The three retrievers a call can pick: lexical BM25, dense embeddings, and both fused."""

from __future__ import annotations

from peerassist.store import SearchHit
from peerassist.retriever.base import Query, Retriever
from peerassist.retriever.fusion import Fusion

# Chosen by evals/bench_fusion.py on the first half of each set's questions; the measurements
# on the other half are in retriever/fusion.py.
FUSION = Fusion(lexical_weight=0.8, normalisation="z", depth=30, adaptive=12.0, disagreement=6.0)


class DenseRetriever:
    name = "dense"

    def retrieve(self, query: Query, k: int) -> list[SearchHit]:
        if query.allowed_docs is not None and not query.allowed_docs:
            return []
        # The snapshot's lexical index holds exactly its live chunks: their text and metadata come from it.
        lexical = query.snapshot.lexical
        nearest = query.snapshot.generation.nearest(query.vector, k, where=query.chroma_where())
        hits = [hit for chunk_id, score in nearest if (hit := lexical.hit(chunk_id, score)) is not None][:k]
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
    """BM25 and dense fused by `Fusion`: a weighted sum of per-query normalised scores."""

    name = "hybrid"

    def __init__(self, fusion: Fusion = FUSION) -> None:
        self.fusion = fusion

    def retrieve(self, query: Query, k: int) -> list[SearchHit]:
        depth = max(k, self.fusion.depth)
        lexical = BM25Retriever().retrieve(query, depth)
        dense = DenseRetriever().retrieve(query, depth)
        merged: dict[str, SearchHit] = {}
        for hit in lexical + dense:
            if hit.chunk_id in merged:
                merged[hit.chunk_id].signals.update(hit.signals)
            else:
                merged[hit.chunk_id] = hit
        fused = self.fusion.scores({h.chunk_id: h.score for h in lexical}, {h.chunk_id: h.score for h in dense})
        for chunk_id, hit in merged.items():
            hit.score = fused[chunk_id]
        return sorted(merged.values(), key=lambda h: h.score, reverse=True)[:k]


RETRIEVERS: dict[str, type[Retriever]] = {
    "bm25": BM25Retriever,
    "dense": DenseRetriever,
    "hybrid": HybridRetriever,
}
