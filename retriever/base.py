"""What every retriever is given and what it promises, so backends swap per call."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

import numpy as np

from peerassist.embeddings import EmbeddingModel
from peerassist.store import SearchHit
from peerassist.retriever.view import Snapshot


@dataclass
class Query:
    """One question against one snapshot; `allowed_docs` None means every live document."""

    text: str
    snapshot: Snapshot
    model: EmbeddingModel
    allowed_docs: set[str] | None = None
    precomputed_vector: np.ndarray | None = None

    @cached_property
    def vector(self) -> np.ndarray:
        if self.precomputed_vector is not None:
            return self.precomputed_vector
        return self.model.embed_query(self.text)

    def chroma_where(self) -> dict[str, Any] | None:
        """The allowed documents as a Chroma filter, written the shorter way round."""
        if self.allowed_docs is None:
            return None
        excluded = set(self.snapshot.documents) - self.allowed_docs
        if not excluded:
            return None
        if len(excluded) < len(self.allowed_docs):
            return {"doc_id": {"$nin": sorted(excluded)}}
        return {"doc_id": {"$in": sorted(self.allowed_docs)}}


class Retriever(Protocol):
    name: str

    def retrieve(self, query: Query, k: int) -> list[SearchHit]:
        """The k best live chunks for the query, best first, within its allowed documents."""
        ...


class Reranker(Protocol):
    """A second-stage scorer (a cross-encoder, say): none ships offline today, so none is wired by default."""

    def rerank(self, question: str, hits: list[SearchHit]) -> list[SearchHit]: ...
