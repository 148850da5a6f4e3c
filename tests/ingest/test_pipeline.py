"""Exact incremental sync, against both store backends (embedded Chroma and `chroma run`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from peerassist.ingest.pipeline import Ingestor, IngestUsageError, doc_id_for
from peerassist.settings import Settings
from peerassist.store import IndexSettingsChanged, KnowledgeIndex
from tests.conftest import write_md


def ingest(settings: Settings, *paths: Path, model, **flags):  # type: ignore[no-untyped-def]
    return Ingestor(KnowledgeIndex(settings), model=model).run(list(paths), **flags)


def snapshot(settings: Settings) -> tuple[dict[str, str], set[str]]:
    """(doc_id -> live hash, every stored chunk id): the whole observable state of an index."""
    generation = KnowledgeIndex(settings).generation()
    return {d: row.doc_hash for d, row in generation.documents().items()}, generation.chunk_ids()


def test_first_ingest_adds_every_document_with_chunk_metadata(settings, kb, model):  # type: ignore[no-untyped-def]
    report = ingest(settings, kb, model=model)

    assert (report.added, report.updated, report.unchanged, report.failed) == (4, 0, 0, [])
    generation = KnowledgeIndex(settings).generation()
    stored = generation.collection.get(include=["metadatas", "documents"])
    assert report.chunks_written == len(stored["ids"]) > 0
    for meta in stored["metadatas"]:
        assert {"doc_id", "source", "title", "section", "chunk_index", "content_hash", "doc_hash"} <= set(meta)
    by_text = {text: meta for text, meta in zip(stored["documents"], stored["metadatas"], strict=True)}
    meeting = next(meta for text, meta in by_text.items() if "Room 4B" in text)
    assert meeting["title"] == "Charter"
    assert meeting["section"] == "Charter > Meetings"
    assert meeting["source"] == "charter.md"  # relative to the ingested folder: no server paths for members
    assert meeting["doc_id"] == doc_id_for(kb / "charter.md")
    budget = next(meta for text, meta in by_text.items() if "12,000" in text)
    assert budget["visibility"] == "facilitator"
    assert budget["tags"] == ["internal"]


def test_unchanged_documents_are_skipped_without_embedding(settings, kb, model):  # type: ignore[no-untyped-def]
    ingest(settings, kb, model=model)
    before = snapshot(settings)

    class RefusingModel:
        def embed(self, texts):  # type: ignore[no-untyped-def]
            raise AssertionError(f"re-embedded {len(texts)} unchanged chunks")

    report = Ingestor(KnowledgeIndex(settings), model=RefusingModel()).run([kb])  # type: ignore[arg-type]

    assert (report.added, report.updated, report.unchanged, report.chunks_written) == (0, 0, 4, 0)
    assert snapshot(settings) == before


def test_changed_document_is_replaced_never_mixed(settings, kb, model):  # type: ignore[no-untyped-def]
    ingest(settings, kb, model=model)
    write_md(kb / "charter.md", "Charter", "## Meetings\n\nWe now meet on Thursdays in the Lister Room.")

    report = ingest(settings, kb, model=model)

    assert (report.updated, report.unchanged) == (1, 3)
    generation = KnowledgeIndex(settings).generation()
    chunks = generation.collection.get(where={"doc_id": doc_id_for(kb / "charter.md")})
    text = " ".join(chunks["documents"])
    assert "Lister Room" in text and "Room 4B" not in text and "adopt AI safely" not in text
    live_hash = generation.documents()[doc_id_for(kb / "charter.md")].doc_hash
    assert {m["doc_hash"] for m in chunks["metadatas"]} == {live_hash}


def test_metadata_change_in_sidecar_or_folder_defaults_updates_the_document(settings, kb, model):  # type: ignore[no-untyped-def]
    ingest(settings, kb, model=model)
    (kb / "private" / "_meta.yaml").write_text("audience: [members]\n")

    report = ingest(settings, kb, model=model)

    assert (report.updated, report.unchanged) == (1, 3)
    chunks = KnowledgeIndex(settings).generation().collection.get(
        where={"doc_id": doc_id_for(kb / "private" / "budget.txt")}
    )
    assert {m["visibility"] for m in chunks["metadatas"]} == {"member"}


def test_same_file_twice_and_same_file_by_other_path_never_duplicates(settings, kb, model):  # type: ignore[no-untyped-def]
    report = ingest(settings, kb / "faq.md", kb / "faq.md", kb, model=model)
    assert report.added == 4
    relative = Path(os.path.relpath(kb / "faq.md"))
    again = ingest(settings, relative, kb / "." / "faq.md", model=model)
    assert (again.added, again.unchanged) == (0, 1), "two spellings of one path are one document"
    docs, chunk_ids = snapshot(settings)
    assert len(docs) == 4
    sources = KnowledgeIndex(settings).generation().collection.get(include=["metadatas"])["metadatas"]
    assert sum(1 for m in sources if m["source"].endswith("faq.md")) == len(
        [c for c in chunk_ids if c.startswith(doc_id_for(kb / "faq.md"))]
    )


def test_sync_prunes_only_vanished_files_under_the_given_folders(settings, kb, model, tmp_path):  # type: ignore[no-untyped-def]
    other = tmp_path / "other"
    other.mkdir()
    write_md(other / "elsewhere.md", "Elsewhere", "Kept because it is outside the synced folder.")
    ingest(settings, kb, other, model=model)
    (kb / "faq.md").unlink()
    (kb / "glossary.md").write_bytes(b"\x00\x01 corrupt now")

    without_sync = ingest(settings, kb, model=model)
    assert without_sync.deleted == 0
    assert doc_id_for(kb / "faq.md") in snapshot(settings)[0]

    report = ingest(settings, kb, model=model, sync=True)

    docs, chunk_ids = snapshot(settings)
    assert report.deleted == 1
    assert doc_id_for(kb / "faq.md") not in docs
    assert not any(c.startswith(doc_id_for(kb / "faq.md")) for c in chunk_ids)
    assert doc_id_for(other / "elsewhere.md") in docs, "a folder that was not synced lost a document"
    assert doc_id_for(kb / "glossary.md") in docs, "a file that failed to parse was pruned"
    assert [f.path for f in report.failed] == [str(kb / "glossary.md")]


def test_settings_change_is_refused_then_rebuild_reembeds_everything(settings, kb, model):  # type: ignore[no-untyped-def]
    ingest(settings, kb, model=model)
    old_docs, old_chunks = snapshot(settings)
    changed = settings.model_copy(update={"chunk_size": 300, "chunk_overlap": 30})
    write_md(kb / "charter.md", "Charter", "## Purpose\n\n" + "Long purpose sentence about safe adoption. " * 30)

    with pytest.raises(IndexSettingsChanged, match="--rebuild"):
        ingest(changed, kb / "faq.md", model=model)
    assert snapshot(settings) == (old_docs, old_chunks), "a refused ingest changed the index"

    report = ingest(changed, kb / "faq.md", model=model, rebuild=True)

    index = KnowledgeIndex(changed)
    assert report.added == 4, "rebuild must re-ingest every known document, not only the paths given"
    assert index.manifest_mismatch() == {}
    assert index.state().physical_name != settings.collection
    assert settings.collection not in index._chroma_collection_names()
    charter = index.generation().collection.get(where={"doc_id": doc_id_for(kb / "charter.md")})
    assert len(charter["ids"]) > 1 and all(len(t) <= 300 for t in charter["documents"])
    assert ingest(changed, kb, model=model).unchanged == 4


def test_empty_index_adopts_new_settings_without_rebuild(settings, kb, model):  # type: ignore[no-untyped-def]
    KnowledgeIndex(settings).state()
    changed = settings.model_copy(update={"chunk_size": 400})
    assert ingest(changed, kb, model=model).added == 4


def test_missing_path_is_a_usage_error_and_touches_nothing(settings, kb, model):  # type: ignore[no-untyped-def]
    ingest(settings, kb, model=model)
    before = snapshot(settings)
    with pytest.raises(IngestUsageError, match="path not found"):
        ingest(settings, kb, kb / "nope", model=model)
    assert snapshot(settings) == before


def test_a_backend_switch_is_accepted_only_within_the_recorded_tolerance(embedded_settings, kb):  # type: ignore[no-untyped-def]
    from peerassist.db import IndexState

    on_torch = embedded_settings.model_copy(update={"embedding_backend": "torch"})
    on_onnx = embedded_settings.model_copy(update={"embedding_backend": "onnx"})
    Ingestor(KnowledgeIndex(on_torch)).run([kb])
    assert KnowledgeIndex(on_torch).state().manifest["embedding_backend"] == "torch"

    write_md(kb / "parking.md", "Parking", "Staff park in the multi-storey car park on Level 3.")
    index = KnowledgeIndex(on_onnx)
    assert index.manifest_mismatch() == {}, "the int8 ONNX vectors reproduce the torch probe within tolerance"
    report = Ingestor(index).run([kb])
    assert (report.added, report.unchanged) == (1, 4), "a compatible switch must not re-embed anything"
    manifest = index.state().manifest
    assert manifest["embedding_backend"] == "onnx" and len(manifest["embedding_probe"]) == 6
    assert index.generation().model.backend == "onnx", "questions must be embedded like the newest vectors"

    with index.db.session() as session:  # an index that demands near-identical vectors
        session.get(IndexState, index.name).manifest = manifest | {"embedding_min_cosine": 0.9999}
    before = snapshot(on_onnx)
    with pytest.raises(IndexSettingsChanged, match="embedding_backend 'onnx' -> 'torch'"):
        Ingestor(KnowledgeIndex(on_torch)).run([kb])
    assert snapshot(on_onnx) == before


class CountingModel:
    """The real model, with every embedding call's texts recorded; `fail_on_call` (1-based) raises instead."""

    def __init__(self, model, fail_on_call: int = 0) -> None:  # type: ignore[no-untyped-def]
        self.model, self.fail_on_call, self.calls = model, fail_on_call, []  # type: list[list[str]]

    def embed(self, texts):  # type: ignore[no-untyped-def]
        self.calls.append(list(texts))
        if len(self.calls) == self.fail_on_call:
            raise RuntimeError("encoder out of memory")
        return self.model.embed(texts)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.model, name)


def many_documents(root: Path, count: int) -> Path:
    root.mkdir()
    for i in range(count):
        write_md(root / f"note-{i:03d}.md", f"Note {i}", f"## Part A\n\nWard {i} audits its sepsis alerts weekly.\n\n"
                 f"## Part B\n\nWard {i} reports AI incidents on SafeReport within 24 hours.")
    return root


def test_chunks_parsed_while_the_encoder_is_busy_are_embedded_once_each_in_bounded_calls(embedded_settings, model, tmp_path):  # type: ignore[no-untyped-def]
    from peerassist.ingest.pipeline import MAX_EMBED_CHUNKS

    counting = CountingModel(model)
    report = ingest(embedded_settings, many_documents(tmp_path / "notes", 150), model=counting)

    stored = KnowledgeIndex(embedded_settings).generation().collection.get(include=["documents"])
    embedded = [text for call in counting.calls for text in call if "Ward" in text]
    assert report.added == 150 and report.chunks_written == len(stored["ids"]) == len(embedded) == len(set(embedded))
    assert max(len(call) for call in counting.calls) <= MAX_EMBED_CHUNKS


def test_an_encoder_failure_mid_run_stops_it_and_the_next_run_completes(embedded_settings, model, tmp_path):  # type: ignore[no-untyped-def]
    notes = many_documents(tmp_path / "notes", 150)
    failing = CountingModel(model, fail_on_call=3)  # the manifest's probe, the first batch, then this one
    with pytest.raises(RuntimeError, match="encoder out of memory"):
        ingest(embedded_settings, notes, model=failing)
    stored_after_failure = len(KnowledgeIndex(embedded_settings).generation().documents())
    assert stored_after_failure < 150

    report = ingest(embedded_settings, notes, model=model)
    assert report.added + report.unchanged == 150 and report.unchanged == stored_after_failure
    assert len(KnowledgeIndex(embedded_settings).generation().documents()) == 150
