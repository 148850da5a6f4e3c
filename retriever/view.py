"""A consistent read view of the live knowledge index for a long-running reader.

The API server did not run the ingest that changed the index; it learns of it from the
stored version (one small SQL read per query) and then reloads the document registry and
the lexical index. Readers between two refreshes keep a complete, coherent snapshot.
"""

from __future__ import annotations

import re
import shutil
import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from peerassist.db import DocumentRecord
from peerassist.store import Generation, KnowledgeIndex
from peerassist.retriever.lexical import ANNOTATION_RECIPE, LexicalIndex, live_chunks

# An ingest that commits while the lexical index is being read makes the read retry.
BUILD_ATTEMPTS = 5


@dataclass
class Snapshot:
    """The live documents of one stored version, and (built on first use) its BM25 index."""

    view: KnowledgeView
    version: int
    generation: Generation
    documents: dict[str, DocumentRecord]
    # The lexical index this process last served from the same generation: its annotations are reused.
    earlier: LexicalIndex | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def live_hashes(self) -> dict[str, str]:
        return {doc_id: row.doc_hash for doc_id, row in self.documents.items()}

    @cached_property
    def lexical(self) -> LexicalIndex:
        with self._lock:
            return self.view.lexical_for(self)


class KnowledgeView:
    def __init__(self, index: KnowledgeIndex) -> None:
        self.index = index
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()

    def current(self) -> Snapshot:
        """The snapshot of the stored version, reloaded only when that version has moved."""
        version, physical_name = self.index.live_version()
        with self._lock:
            snap = self._snapshot
            if snap is None or snap.version != version or snap.generation.physical_name != physical_name:
                earlier = None
                if snap is not None:
                    self.index.reopen_client()
                    if snap.generation.physical_name == physical_name:
                        earlier = snap.__dict__.get("lexical")  # built or loaded, never built here
                generation = self.index.generation()
                snap = Snapshot(self, version, generation, generation.documents(), earlier)
                self._snapshot = snap
            return snap

    def warm(self) -> LexicalIndex:
        """The current version's lexical index, built and saved now if it is not yet."""
        return self.current().lexical

    def lexical_for(self, snap: Snapshot) -> LexicalIndex:
        """Load the saved BM25 index of this version, or build and save it from Chroma."""
        directory = self._cache_dir(snap)
        if LexicalIndex.is_saved(directory):
            return LexicalIndex.load(directory, snap.generation.model)
        shutil.rmtree(directory, ignore_errors=True)
        earlier, snap.earlier = snap.earlier or _latest_saved(directory, snap.generation), None
        for _ in range(BUILD_ATTEMPTS):
            documents = snap.generation.documents()
            live = {doc_id: row.doc_hash for doc_id, row in documents.items()}
            chunks = live_chunks(snap.generation, live)
            version, _ = self.index.live_version()
            if version == snap.version and live == snap.live_hashes:
                lexical = LexicalIndex.build(chunks, snap.generation.model, earlier)
                lexical.save(directory)
                self._drop_stale_caches(directory)
                return lexical
            # The index moved while we read it: serve what the snapshot's registry says is live.
            snap.documents = documents
            snap.version = version
            directory = self._cache_dir(snap)
        return LexicalIndex.build(chunks, snap.generation.model, earlier)

    def _cache_dir(self, snap: Snapshot) -> Path:
        folder = f"v{snap.version}-r{ANNOTATION_RECIPE}"
        return self.index.settings.data_dir / "lexical" / snap.generation.physical_name / folder

    def _drop_stale_caches(self, keep: Path) -> None:
        """Other versions of this collection (and of its older generations) are never read again."""
        pattern = re.compile(rf"^{re.escape(self.index.name)}(-g\d+)?$")
        root = keep.parent.parent
        for collection_dir in root.iterdir():
            if not collection_dir.is_dir() or not pattern.match(collection_dir.name):
                continue
            for version_dir in collection_dir.iterdir():
                if version_dir != keep and not version_dir.name.startswith("."):
                    shutil.rmtree(version_dir, ignore_errors=True)
            if collection_dir != keep.parent:
                shutil.rmtree(collection_dir, ignore_errors=True)


def _latest_saved(directory: Path, generation: Generation) -> LexicalIndex | None:
    """The newest saved index beside `directory` (same generation, same recipe), if any."""
    saved = [d for d in directory.parent.glob(f"v*-r{ANNOTATION_RECIPE}") if LexicalIndex.is_saved(d)]
    if not saved:
        return None
    try:
        return LexicalIndex.load(max(saved, key=lambda d: int(d.name[1:].split("-")[0])), generation.model)
    except (OSError, ValueError):  # a copy another process is dropping as we read: annotate afresh
        return None
