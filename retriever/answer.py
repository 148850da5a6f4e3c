"""The minimal answer path: the best passages from the knowledge index, quoted with their sources.

This is the pipeline's end-to-end check until the answering component (hybrid retrieval,
composed answers, calibrated abstention) replaces it.
"""

from __future__ import annotations

from typing import Any

from peerassist.embeddings import get_embedding_model
from peerassist.settings import Settings
from peerassist.store import KnowledgeIndex, SearchHit
from retriever.dense import DenseRetriever

# Cosine similarity below which the best passage is not offered as an answer.
MIN_ANSWER_SCORE = 0.35


def answer_question(settings: Settings, question: str, k: int = 5) -> dict[str, Any]:
    generation = KnowledgeIndex(settings).generation()
    model = get_embedding_model(str(generation.manifest["embedding_model"]), settings.embedding_batch_size)
    hits = DenseRetriever(generation, model).retrieve(question, k=k)
    answered = bool(hits) and hits[0].score >= MIN_ANSWER_SCORE
    top = hits[0] if answered else None
    return {
        "answer": f"{top.text} [1]" if top else "The community's documents don't seem to cover this.",
        "answered": answered,
        "confidence": round(hits[0].score, 4) if hits else 0.0,
        "citations": [_citation(1, top)] if top else [],
        "retrieved": [_retrieved(rank, hit) for rank, hit in enumerate(hits, start=1)],
    }


def _citation(n: int, hit: SearchHit) -> dict[str, Any]:
    meta = hit.metadata
    return {
        "n": n,
        "doc_id": meta["doc_id"],
        "title": meta.get("title", ""),
        "section": meta.get("section", ""),
        "page": meta.get("page"),
        "source": meta.get("source", ""),
        "quote": hit.text,
    }


def _retrieved(rank: int, hit: SearchHit) -> dict[str, Any]:
    return _citation(rank, hit) | {"rank": rank, "chunk_id": hit.chunk_id, "score": round(hit.score, 4)}
