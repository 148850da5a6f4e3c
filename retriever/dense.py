"""Dense retrieval: the question's embedding against the live chunks in Chroma."""

from __future__ import annotations

from typing import Any

from peerassist.embeddings import EmbeddingModel
from peerassist.store import Generation, SearchHit


class DenseRetriever:
    name = "dense"

    def __init__(self, generation: Generation, model: EmbeddingModel) -> None:
        self.generation = generation
        self.model = model

    def retrieve(self, question: str, k: int = 10, where: dict[str, Any] | None = None) -> list[SearchHit]:
        return self.generation.search(self.model.embed_query(question), k=k, where=where)
