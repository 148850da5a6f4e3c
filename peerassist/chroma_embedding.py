"""Chroma's view of our embedding model, registered so a reopened collection rebuilds it offline.

Kept apart from `embeddings` because importing chromadb costs a second; only the store needs it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from peerassist.embeddings import LEGACY_BACKEND, EmbeddingBackend, default_model_cache, get_embedding_model


@register_embedding_function
class PeerAssistEmbeddingFunction(EmbeddingFunction[Documents]):
    def __init__(
        self,
        model_id: str,
        batch_size: int = 64,
        backend: EmbeddingBackend = LEGACY_BACKEND,
        cache_dir: str | None = None,
    ) -> None:
        self.model_id = model_id
        self.batch_size = batch_size
        self.backend = backend
        self.cache_dir = cache_dir or str(default_model_cache())

    def __call__(self, input: Documents) -> Embeddings:  # noqa: A002 (Chroma's parameter name)
        model = get_embedding_model(self.model_id, self.batch_size, self.backend, Path(self.cache_dir))
        vectors = model.embed(list(input))
        return [np.asarray(row, dtype=np.float32) for row in vectors]

    @staticmethod
    def name() -> str:
        return "peerassist"

    def default_space(self) -> Space:
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {
            "model_id": self.model_id,
            "batch_size": self.batch_size,
            "backend": self.backend,
            "cache_dir": self.cache_dir,
        }

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> PeerAssistEmbeddingFunction:
        """Collections persisted before backends existed hold torch vectors."""
        return PeerAssistEmbeddingFunction(
            config["model_id"], int(config.get("batch_size", 64)), config.get("backend", LEGACY_BACKEND), config.get("cache_dir")
        )

    def is_legacy(self) -> bool:
        return False
