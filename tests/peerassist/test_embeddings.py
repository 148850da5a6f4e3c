"""The packaged embedding model, its adapters, and the no-download guarantee."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess

import numpy as np
import pytest

from peerassist.embeddings import EmbeddingModelNotFound, resolve_model_path
from peerassist.store import KnowledgeIndex
from tests.conftest import VENV_BIN, NetworkBlocked


def test_vectors_are_normalised_batched_and_deterministic(model) -> None:  # type: ignore[no-untyped-def]
    texts = [f"Sentence number {i} about clinical AI adoption." for i in range(150)]
    vectors = model.embed(texts)
    assert vectors.shape == (150, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.allclose(model.embed(texts[70:71])[0], vectors[70], atol=1e-5), "batching changed a vector"


def test_similar_texts_are_closer_than_unrelated_ones(model) -> None:  # type: ignore[no-untyped-def]
    meet, meeting, budget = model.embed(
        ["When does the community meet?", "Our meetings are on the second Tuesday.", "Invoice for printer toner"]
    )
    assert float(meet @ meeting) > float(meet @ budget) + 0.2


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
