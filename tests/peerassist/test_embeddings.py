"""The packaged embedding model on both backends, its adapters, and the no-download guarantee.

The conformance tests take `backend_model` and run once per backend: a new backend only adds a
name to `BACKENDS`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess

import numpy as np
import pytest

from peerassist.embeddings import (
    BACKENDS,
    INTERCHANGEABLE_MIN_COSINE,
    EmbeddingModel,
    EmbeddingModelNotFound,
    get_embedding_model,
    resolve_model_path,
)
from peerassist.onnx_export import exported_model_path
from peerassist.store import KnowledgeIndex
from tests.conftest import VENV_BIN, NetworkBlocked

TEXTS = [f"Sentence number {i} about clinical AI adoption, {'with more words ' * (i % 7)}." for i in range(150)]


@pytest.fixture(params=BACKENDS, scope="module")
def backend_model(request: pytest.FixtureRequest) -> EmbeddingModel:
    return get_embedding_model("all-MiniLM-L6-v2", backend=request.param)


def test_vectors_have_the_models_shape_and_unit_length(backend_model: EmbeddingModel) -> None:
    vectors = backend_model.embed(TEXTS)
    assert vectors.shape == (150, backend_model.dimensions) == (150, 384)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert backend_model.embed([]).shape == (0, 384)


def test_batching_and_order_do_not_change_a_vector(backend_model: EmbeddingModel) -> None:
    vectors = backend_model.embed(TEXTS)
    assert np.allclose(backend_model.embed(TEXTS[70:71])[0], vectors[70], atol=1e-5), "batching changed a vector"
    assert np.allclose(backend_model.embed(TEXTS[::-1])[::-1], vectors, atol=1e-5), "input order changed vectors"


def test_vectors_are_deterministic(backend_model: EmbeddingModel) -> None:
    assert np.array_equal(backend_model.embed(TEXTS[:20]), backend_model.embed(TEXTS[:20]))


def test_similar_texts_are_closer_than_unrelated_ones(backend_model: EmbeddingModel) -> None:
    meet, meeting, budget = backend_model.embed(
        ["When does the community meet?", "Our meetings are on the second Tuesday.", "Invoice for printer toner"]
    )
    assert float(meet @ meeting) > float(meet @ budget) + 0.2


def test_the_backends_vectors_are_interchangeable_within_the_tolerance() -> None:
    onnx, torch = (get_embedding_model("all-MiniLM-L6-v2", backend=b).embed(TEXTS) for b in ("onnx", "torch"))
    agreement = (onnx * torch).sum(axis=1)
    assert agreement.min() >= INTERCHANGEABLE_MIN_COSINE
    assert agreement.mean() > 0.99


def test_the_onnx_graph_is_exported_once_from_the_local_weights(tmp_path) -> None:  # type: ignore[no-untyped-def]
    model_dir = resolve_model_path("all-MiniLM-L6-v2")
    exported = exported_model_path(model_dir, tmp_path)
    assert exported.is_file() and exported.parent == tmp_path
    written = exported.stat().st_mtime_ns
    assert exported_model_path(model_dir, tmp_path) == exported
    assert exported.stat().st_mtime_ns == written, "a cached graph was exported again"
    fresh = get_embedding_model("all-MiniLM-L6-v2", backend="onnx", cache_dir=tmp_path)
    cached = get_embedding_model("all-MiniLM-L6-v2", backend="onnx")
    assert np.allclose(fresh.embed(TEXTS[:5]), cached.embed(TEXTS[:5]), atol=1e-6)


def test_an_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown embedding backend 'tensorflow'"):
        get_embedding_model("all-MiniLM-L6-v2", backend="tensorflow")  # type: ignore[arg-type]


def test_langchain_adapter_gives_the_same_vectors(model) -> None:  # type: ignore[no-untyped-def]
    embeddings = model.as_langchain()
    assert np.allclose(embeddings.embed_query("hello"), model.embed_query("hello"), atol=1e-6)
    assert len(embeddings.embed_documents(["a", "b"])) == 2


def test_unknown_model_names_are_refused_not_downloaded() -> None:
    with pytest.raises(EmbeddingModelNotFound, match="never downloaded"):
        resolve_model_path("sentence-transformers/all-mpnet-base-v2")


def test_the_network_guard_really_blocks() -> None:
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("huggingface.co", 443), timeout=2)
    with pytest.raises(NetworkBlocked):
        socket.socket().connect(("93.184.216.34", 80))


def test_chroma_never_falls_back_to_its_downloading_embedding_function(embedded_settings, model) -> None:  # type: ignore[no-untyped-def]
    """Query by text, in a fresh client that is given no embedding function: Chroma must rebuild ours."""
    import chromadb

    generation = KnowledgeIndex(embedded_settings).generation()
    generation.collection.add(ids=["a"], documents=["The CoP meets in Room 4B."], embeddings=model.embed(["x"]))
    client = chromadb.PersistentClient(path=str(embedded_settings.chroma_path))
    reopened = client.get_collection(generation.physical_name)

    assert reopened.configuration["embedding_function"].name() == "peerassist"
    result = reopened.query(query_texts=["Where does the CoP meet?"], n_results=1)
    assert result["ids"] == [["a"]]


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None, reason="needs root for unshare -n")
def test_cli_ingest_and_ask_in_a_network_namespace_with_no_network(tmp_path, kb) -> None:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}  # the app sets them
    env["PEERASSIST_DATA_DIR"] = str(tmp_path / "data")
    peerassist = str(VENV_BIN / "peerassist")
    ingest = subprocess.run(["unshare", "-n", peerassist, "ingest", str(kb), "--json"], env=env,
                            capture_output=True, text=True, timeout=300)
    assert ingest.returncode == 0, ingest.stderr
    ask = subprocess.run(["unshare", "-n", peerassist, "ask", "Where do we meet?", "--json"], env=env,
                         capture_output=True, text=True, timeout=300)
    assert ask.returncode == 0, ask.stderr
    assert "Room 4B" in ask.stdout
