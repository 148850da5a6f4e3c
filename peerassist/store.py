"""The knowledge index: chunks and vectors in Chroma, the live version of each document in SQL.

Writes follow one order so that a kill at any moment is repairable and readers never see a
half-replaced document:
  1. upsert the new version's chunks (ids carry the version hash, so old chunks stay intact);
  2. commit the registry row naming the new version (the switch);
  3. delete the chunks of other versions.
`reconcile()` at the start of each ingest deletes chunks no registry row points at and
reports documents whose chunks are incomplete, so the next run re-ingests them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import numpy as np
from sqlalchemy import delete, select

from peerassist.db import Database, DocumentRecord, IndexState, utcnow
from peerassist.embeddings import (
    INTERCHANGEABLE_MIN_COSINE,
    EmbeddingModel,
    embedding_model_for,
    manifest_backend,
    probe_agreement,
    probe_vectors,
)
from peerassist.settings import Settings

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

# Measured in ../shared/STACK.md: the defaults gave poor recall; these keep query speed.
HNSW_CONFIGURATION = {"space": "cosine", "ef_construction": 200, "ef_search": 400, "max_neighbors": 32}
GET_PAGE = 5000
REGISTRY_READ_BATCH = 500  # document ids per registry read, well under any database's bound-parameter limit


class IndexSettingsChanged(RuntimeError):
    """The stored vectors were made with other embedding or chunking settings."""


class RegistryMissing(RuntimeError):
    """Chroma holds documents the records database has never heard of: the wrong or a lost database.

    Ingesting would reconcile them away (no registry row points at them), so nothing is touched.
    """


@dataclass
class Chunk:
    """A piece of a document as stored: `text` is shown and cited, `embed_text` is what gets embedded."""

    id: str
    text: str
    embed_text: str
    metadata: dict[str, Any]


@dataclass
class DocumentVersion:
    """Everything the registry records about one version of a document."""

    doc_id: str
    source: str
    title: str
    filetype: str
    doc_hash: str
    size_bytes: int
    meta: dict[str, Any] = field(default_factory=dict)
    # When its content last changed; None: now. A rebuild re-embeds unchanged documents and keeps this,
    # so "new or changed since the question was asked" (earned gap resolution) stays true.
    changed_at: datetime | None = None


def shown_path(document: DocumentVersion | DocumentRecord) -> str:
    """The document's link or path as members see it: the page it was fetched from (a declared
    web source), else its path relative to the folder it was ingested from.

    `source` (the registry's identity for sync) is the server's absolute path; members are
    never shown it. Documents ingested before the relative path was recorded show their name.
    """
    meta = document.meta or {}
    return str(meta.get("url") or meta.get("path") or Path(document.source).name)


def shown_source(source: str) -> str:
    """A chunk's recorded `source` made safe to show (chunks written before paths were relative)."""
    return Path(source).name if Path(source).is_absolute() else source


@dataclass
class StoredChunk:
    """A chunk as read back from the store (the lexical index, onboarding and the glossary read them)."""

    id: str
    text: str
    metadata: dict[str, Any]


@dataclass
class SearchHit:
    """`score` is the producing retriever's own; `signals` keeps each retriever's score after fusion."""

    chunk_id: str
    text: str
    metadata: dict[str, Any]
    score: float
    signals: dict[str, float] = field(default_factory=dict)


def open_chroma(settings: Settings) -> ClientAPI:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "localhost",
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


class KnowledgeIndex:
    """One logical collection: its live Chroma collection and its document registry."""

    def __init__(self, settings: Settings, db: Database | None = None, client: ClientAPI | None = None) -> None:
        self.settings = settings
        self.db = db or Database(settings.sqlalchemy_url)
        self._client = client
        self.name = settings.collection
        self._physical_name_pattern = re.compile(rf"^{re.escape(self.name)}(-g\d+)?$")

    @property
    def client(self) -> ClientAPI:
        """Opened on first use, so a process can start (and say it is not ready) while Chroma is down."""
        if self._client is None:
            self._client = open_chroma(self.settings)
        return self._client

    def reopen_client(self) -> None:
        """See writes made by another process: embedded Chroma caches its index per process.

        (A `chroma run` server has no such cache; its client is kept.)
        """
        if self.settings.chroma_url:
            return
        from chromadb.api.client import SharedSystemClient

        SharedSystemClient.clear_system_cache()
        self._client = open_chroma(self.settings)

    # --- state -------------------------------------------------------------------------

    def state(self) -> IndexState:
        """The live generation; created, with the current settings, on first use."""
        with self.db.session() as session:
            state = session.get(IndexState, self.name)
            if state is None:
                state = IndexState(
                    collection=self.name,
                    physical_name=self.name,
                    generation=0,
                    manifest=self.settings.index_manifest(),
                    version=0,
                )
                session.add(state)
            return state

    def live_version(self) -> tuple[int, str]:
        """(version, physical collection name): what a reader checks before every question.

        Reads two columns, not the row: the manifest holds probe vectors, too big to parse per question.
        """
        with self.db.session() as session:
            row = session.execute(
                select(IndexState.version, IndexState.physical_name).where(IndexState.collection == self.name)
            ).first()
        if row is None:
            state = self.state()
            return state.version, state.physical_name
        return int(row.version), str(row.physical_name)

    def manifest_mismatch(self) -> dict[str, tuple[Any, Any]]:
        """Settings whose stored value differs from the current one: {name: (stored, current)}.

        A different embedding backend counts only if it does not reproduce the index's probe
        vectors: within the recorded tolerance its vectors can join the old ones.
        """
        stored = self.state().manifest
        current = self.settings.index_manifest()
        changed = {
            k: (stored.get(k), v) for k, v in current.items() if k != "embedding_backend" and stored.get(k) != v
        }
        stored_backend = manifest_backend(stored)
        if not changed and stored_backend != self.settings.embedding_backend:
            recorded = stored.get("embedding_probe") or probe_vectors(embedding_model_for(self.settings, stored))
            tolerance = float(stored.get("embedding_min_cosine", INTERCHANGEABLE_MIN_COSINE))
            if probe_agreement(embedding_model_for(self.settings), recorded) < tolerance:
                changed["embedding_backend"] = (stored_backend, self.settings.embedding_backend)
        return changed

    def require_current_manifest(self) -> None:
        """Refuse to write into an index built with other settings; record this backend's probe."""
        changed = self.manifest_mismatch()
        if changed:
            what = ", ".join(f"{k} {old!r} -> {new!r}" for k, (old, new) in changed.items())
            raise IndexSettingsChanged(
                f"index '{self.name}' was built with other settings ({what}); "
                "run `peerassist ingest --rebuild PATH...` to re-embed everything"
            )
        stored = self.state().manifest
        if stored.get("embedding_backend") != self.settings.embedding_backend or "embedding_probe" not in stored:
            self._store_manifest(self.current_manifest())

    def current_manifest(self) -> dict[str, Any]:
        """The settings' manifest plus the probe vectors a later backend switch is checked against."""
        return self.settings.index_manifest() | {
            "embedding_probe": probe_vectors(embedding_model_for(self.settings)),
            "embedding_min_cosine": INTERCHANGEABLE_MIN_COSINE,
        }

    def adopt_current_manifest(self) -> None:
        """An index holding no documents can take new settings without a rebuild."""
        if not self.manifest_mismatch():
            return
        state = self.state()
        self._drop_physical(state.physical_name)
        self._store_manifest(self.settings.index_manifest())

    def _store_manifest(self, manifest: dict[str, Any]) -> None:
        with self.db.session() as session:
            row = session.get(IndexState, self.name)
            assert row is not None
            row.manifest = manifest
            row.version += 1

    def generation(self) -> Generation:
        state = self.state()
        return Generation(self, state.physical_name, state.manifest)

    # --- rebuild -------------------------------------------------------------------------

    def new_generation(self) -> Generation:
        """An empty collection built with the current settings, invisible until `activate`."""
        state = self.state()
        physical_name = f"{self.name}-g{state.generation + 1}"
        self._drop_physical(physical_name)
        return Generation(self, physical_name, self.current_manifest())

    def activate(self, generation: Generation) -> None:
        with self.db.session() as session:
            state = session.get(IndexState, self.name)
            assert state is not None
            old_name = state.physical_name
            state.physical_name = generation.physical_name
            state.generation += 1
            state.manifest = generation.manifest
            state.version += 1
            state.updated_at = utcnow()
        self._drop_physical(old_name)

    def require_registry(self) -> None:
        """Stop before any write when the registry is blank but Chroma is not (see RegistryMissing).

        A registry that has never committed anything (`version` 0) over collections holding chunks
        means the database was deleted, replaced or misconfigured; reconciling would delete them all.
        """
        if self.state().version:
            return
        stored = {
            name: count
            for name in self._chroma_collection_names()
            if self._physical_name_pattern.match(name) and (count := self.client.get_collection(name).count())
        }
        if stored:
            where = ", ".join(f"{name} ({count} chunks)" for name, count in sorted(stored.items()))
            raise RegistryMissing(
                f"the records database has no document registry, but Chroma holds {where}: the database is new "
                "or the wrong one (PEERASSIST_DATABASE_URL). Nothing was changed; point it at the right database, "
                "or run 'peerassist ingest --rebuild PATH...' to index the files again"
            )

    def drop_stale_generations(self) -> None:
        """Leftovers of a rebuild that was killed before it switched over."""
        live = self.state().physical_name
        for name in self._chroma_collection_names():
            if name != live and self._physical_name_pattern.match(name):
                self._drop_physical(name)
        with self.db.session() as session:
            names = session.scalars(select(DocumentRecord.physical_name).distinct()).all()
        for name in names:
            if name != live and self._physical_name_pattern.match(name):
                self._drop_physical(name)

    def _chroma_collection_names(self) -> list[str]:
        return [c if isinstance(c, str) else c.name for c in self.client.list_collections()]

    def _drop_physical(self, physical_name: str) -> None:
        if physical_name in self._chroma_collection_names():
            self.client.delete_collection(physical_name)
        with self.db.session() as session:
            session.execute(delete(DocumentRecord).where(DocumentRecord.physical_name == physical_name))


class Generation:
    """One physical Chroma collection and the registry rows that say what in it is live."""

    def __init__(self, index: KnowledgeIndex, physical_name: str, manifest: dict[str, Any]) -> None:
        self.index = index
        self.physical_name = physical_name
        self.manifest = manifest

    @cached_property
    def collection(self) -> Collection:
        from peerassist.chroma_embedding import PeerAssistEmbeddingFunction

        model = self.model
        return self.index.client.get_or_create_collection(
            self.physical_name,
            embedding_function=PeerAssistEmbeddingFunction(
                model.model_id, model.batch_size, model.backend, str(self.index.settings.model_cache_dir)
            ),
            configuration={"hnsw": HNSW_CONFIGURATION},
            metadata={"peerassist_collection": self.index.name},
        )

    @property
    def model(self) -> EmbeddingModel:
        """The model this generation's vectors were made with; questions must be embedded by it too."""
        return embedding_model_for(self.index.settings, self.manifest)

    # --- reading ----------------------------------------------------------------------

    def documents(self) -> dict[str, DocumentRecord]:
        with self.index.db.session() as session:
            rows = session.scalars(
                select(DocumentRecord).where(DocumentRecord.physical_name == self.physical_name)
            ).all()
        return {row.doc_id: row for row in rows}

    def chunk_versions(self) -> dict[str, tuple[str, str]]:
        """chunk id -> (doc_id, doc_hash) for every chunk stored, live or not."""
        result: dict[str, tuple[str, str]] = {}
        offset = 0
        while True:
            page = self.collection.get(include=["metadatas"], limit=GET_PAGE, offset=offset)
            for chunk_id, meta in zip(page["ids"], page["metadatas"] or [], strict=True):
                result[chunk_id] = (str(meta.get("doc_id")), str(meta.get("doc_hash")))
            if len(page["ids"]) < GET_PAGE:
                return result
            offset += GET_PAGE

    def chunk_ids(self) -> set[str]:
        return set(self.chunk_versions())

    def reconcile(self) -> set[str]:
        """Delete chunks of versions that are not live; return ids of live documents missing chunks."""
        live = {doc_id: (row.doc_hash, row.chunk_count) for doc_id, row in self.documents().items()}
        stored = self.chunk_versions()
        orphans = {cid for cid, (doc_id, doc_hash) in stored.items() if live.get(doc_id, ("",))[0] != doc_hash}
        self._delete_ids(sorted(orphans))
        counts = Counter(doc_id for cid, (doc_id, _) in stored.items() if cid not in orphans)
        return {doc_id for doc_id, (_, expected) in live.items() if counts.get(doc_id, 0) != expected}

    def nearest(self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the nearest chunks, best first, of any version: for a reader that
        holds the live chunks already (a snapshot's), which knows which are live and what they say. Asking
        Chroma for ids and distances only is most of a query's time saved: 2.8 ms against 6.8 ms with the
        documents and metadata (sample knowledge base, a member's filter, 2 cores). Twice k and five more are
        asked for, so that k remain once chunks of replaced versions are skipped (more than the collection holds
        is fine: Chroma returns what it has)."""
        result = self.collection.query(query_embeddings=[vector.tolist()], n_results=k * 2 + 5, where=where, include=["distances"])
        return [(chunk_id, 1.0 - float(distance)) for chunk_id, distance in zip(result["ids"][0], (result["distances"] or [[]])[0], strict=True)]

    # --- writing ----------------------------------------------------------------------

    def write_documents(self, documents: Sequence[tuple[DocumentVersion, Sequence[Chunk]]], vectors: np.ndarray) -> None:
        """Make each document's given version live, in the crash-safe order, for a whole batch at once.

        `vectors` has one row per chunk, in the order the documents' chunks are listed.
        """
        chunks = [chunk for _, doc_chunks in documents for chunk in doc_chunks]
        step = self.index.client.get_max_batch_size()
        for start in range(0, len(chunks), step):
            part = chunks[start : start + step]
            self.collection.upsert(
                ids=[c.id for c in part],
                documents=[c.text for c in part],
                metadatas=[c.metadata for c in part],
                embeddings=vectors[start : start + len(part)],
            )
        replaced: list[DocumentVersion] = []
        with self.index.db.session() as session:
            # A few reads for the batch: a get per document flushed the session each time (0.3 s of 1 s).
            doc_ids = [version.doc_id for version, _ in documents]
            rows = {
                row.doc_id: row
                for start in range(0, len(doc_ids), REGISTRY_READ_BATCH)
                for row in session.scalars(
                    select(DocumentRecord).where(
                        DocumentRecord.physical_name == self.physical_name,
                        DocumentRecord.doc_id.in_(doc_ids[start : start + REGISTRY_READ_BATCH]),
                    )
                )
            }
            for version, doc_chunks in documents:
                row = rows.get(version.doc_id)
                if row is None:
                    row = DocumentRecord(physical_name=self.physical_name, doc_id=version.doc_id)
                    session.add(row)
                else:
                    replaced.append(version)
                row.source = version.source
                row.title = version.title
                row.filetype = version.filetype
                row.doc_hash = version.doc_hash
                row.chunk_count = len(doc_chunks)
                row.size_bytes = version.size_bytes
                row.meta = version.meta
                row.updated_at = version.changed_at or utcnow()
            self._bump_version(session)
        for version in replaced:
            self._delete_where({"$and": [{"doc_id": version.doc_id}, {"doc_hash": {"$ne": version.doc_hash}}]})

    def delete_documents(self, doc_ids: Iterable[str]) -> int:
        doc_ids = list(doc_ids)
        if not doc_ids:
            return 0
        with self.index.db.session() as session:
            result = session.execute(
                delete(DocumentRecord).where(
                    DocumentRecord.physical_name == self.physical_name, DocumentRecord.doc_id.in_(doc_ids)
                )
            )
            self._bump_version(session)
        for doc_id in doc_ids:
            self._delete_where({"doc_id": doc_id})
        return int(result.rowcount or 0)

    def _bump_version(self, session: Any) -> None:
        state = session.get(IndexState, self.index.name)
        if state is not None and state.physical_name == self.physical_name:
            state.version += 1
            state.updated_at = utcnow()

    def _delete_ids(self, ids: Sequence[str]) -> None:
        batch = self.index.client.get_max_batch_size()
        for start in range(0, len(ids), batch):
            self.collection.delete(ids=list(ids[start : start + batch]))

    def _delete_where(self, where: dict[str, Any]) -> None:
        self.collection.delete(where=where)
