"""The ingestion job: find files, skip what is unchanged, parse, chunk, embed, write, prune.

Exactness rules (each has a test in tests/ingest/test_pipeline.py):
- a document's identity is its resolved path; its version hash covers the file's bytes and
  its resolved metadata, so unchanged files are skipped before any parsing or embedding;
- a changed document is replaced through the store's crash-safe order (never a mix);
- `sync` prunes documents under the given folders whose files are gone;
- a changed embedding model or chunking setting refuses to mix vectors: `rebuild` re-embeds
  every known document into a fresh generation and switches over only when it is complete.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from datetime import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np
from filelock import FileLock

from peerassist.ingest.chunking import chunk_elements
from peerassist.ingest.metadata import (
    PUBLIC_AUDIENCES,
    RESTRICTED_AUDIENCES,
    DocumentMeta,
    MetadataError,
    is_metadata_file,
    resolve_metadata,
)
from peerassist.roles import ROLE_RANK
from peerassist.ingest.parse_worker import parse_with_budget, start_parse_worker
from peerassist.ingest.parsing import SUPPORTED_SUFFIXES, ParseError
from peerassist.embeddings import EmbeddingModel, embedding_model_for
from peerassist.store import Chunk, DocumentVersion, Generation, KnowledgeIndex

# Chunks gathered across documents for one embedding call: whatever is parsed when the encoder is free, from
# MIN_EMBED_CHUNKS (a call is not worth it for less) up to MAX_EMBED_CHUNKS (the most held in memory at once).
MIN_EMBED_CHUNKS = 32
MAX_EMBED_CHUNKS = 256


class IngestUsageError(ValueError):
    """The request itself is wrong (e.g. a path that does not exist); nothing was touched."""


@dataclass
class FileFailure:
    path: str
    error: str


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    failed: list[FileFailure] = field(default_factory=list)
    # Ingested, but worth a look: an unknown audience label that made a document facilitator-only.
    warnings: list[FileFailure] = field(default_factory=list)
    chunks_written: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return asdict(self) | {"seconds": round(self.seconds, 3)}

    def to_json(self) -> str:
        return json.dumps(self.as_dict())


class IngestProgress(Protocol):
    def start(self, total_files: int) -> None: ...
    def file_done(self, path: Path) -> None: ...
    def chunks_done(self, count: int) -> None: ...


class _NoProgress:
    def start(self, total_files: int) -> None:
        pass

    def file_done(self, path: Path) -> None:
        pass

    def chunks_done(self, count: int) -> None:
        pass


@dataclass
class _Pending:
    """A parsed document waiting for its embeddings."""

    path: Path
    version: DocumentVersion
    chunks: list[Chunk]
    is_new: bool


def doc_id_for(path: Path) -> str:
    return hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]


class Ingestor:
    def __init__(
        self,
        index: KnowledgeIndex,
        model: EmbeddingModel | None = None,
        progress: IngestProgress | None = None,
        follow_links: bool = False,
        defaults: dict[str, object] | None = None,
    ) -> None:
        self.index = index
        self.settings = index.settings
        self._model = model
        self.progress = progress or _NoProgress()
        # Off by default: a link inside a shared folder must not publish a file from elsewhere on the server.
        self.follow_links = follow_links
        # Metadata every document gets unless its own says otherwise (a declared source's audience and tags).
        self.defaults = defaults or {}
        # On a rebuild, each known document's own recorded defaults (the source that declared it is not asking).
        self._recorded_defaults: dict[str, dict[str, object]] = {}
        self._changed_at: dict[str, tuple[str, datetime]] = {}  # on a rebuild: doc id -> (hash, when it last changed)

    @property
    def model(self) -> EmbeddingModel:
        """Loaded only when something needs embedding: an unchanged re-ingest never pays for it."""
        if self._model is None:
            self._model = embedding_model_for(self.settings)
        return self._model

    def run(self, paths: Sequence[Path], *, sync: bool = False, rebuild: bool = False) -> IngestReport:
        started = time.perf_counter()
        missing = [str(p) for p in paths if not p.exists() and not p.is_symlink()]
        if missing:
            raise IngestUsageError(f"path not found: {', '.join(missing)}")
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        # Its imports (about 1.5 s of one core) overlap the store's opening and the files' hashing; an
        # ingest that finds nothing changed has paid them in the background, not in its own time.
        start_parse_worker()
        with FileLock(str(self.settings.data_dir / "ingest.lock")):
            report = self._run_locked([p.resolve() if p.exists() else p.absolute() for p in paths], sync, rebuild)
        report.seconds = time.perf_counter() - started
        return report

    def _run_locked(self, roots: list[Path], sync: bool, rebuild: bool) -> IngestReport:
        if not rebuild:
            self.index.require_registry()
        self.index.drop_stale_generations()
        live_rows = self.index.generation().documents().values()
        self._changed_at = {row.doc_id: (row.doc_hash, row.updated_at) for row in live_rows} if rebuild else {}
        # A document a declared source brought in keeps that source's defaults when ingested any other way.
        self._recorded_defaults = {
            row.source: dict(row.meta["source_defaults"]) for row in live_rows if (row.meta or {}).get("source_defaults")
        }
        if rebuild:
            known = [Path(row.source) for row in live_rows if Path(row.source).exists()]
            roots = _dedupe([*roots, *known])
            target = self.index.new_generation()
        else:
            target = self.index.generation()
            if not target.documents():
                self.index.adopt_current_manifest()
                target = self.index.generation()
            self.index.require_current_manifest()

        report = IngestReport()
        # One document per real file: a link inside the folder and its target are the same document.
        files = _dedupe(list(_discover(roots, report, self.follow_links)), key=Path.resolve)
        self.progress.start(len(files))
        self._ingest_files(target, files, roots, report)
        if sync:
            report.deleted = self._prune(target, roots, {str(p) for p in files})
        if rebuild:
            self.index.activate(target)
        return report

    def _ingest_files(self, target: Generation, files: list[Path], roots: list[Path], report: IngestReport) -> None:
        """Three stages side by side: files are parsed while the encoder embeds what was parsed before and the
        store writes what was embedded before that. Whatever is parsed goes to the encoder as soon as it is
        free, so it never waits for a fixed batch to fill, nor for the store (2 cores, both busy)."""
        with (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="peerassist-embed") as encoder,
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="peerassist-write") as writer,
        ):
            embedding: Future[np.ndarray] | None = None
            writes: list[Future[None]] = []

            def submit(batch: list[_Pending]) -> Future[np.ndarray]:
                for write in [w for w in writes if w.done()]:
                    write.result()  # a failed write stops the run here, not after every file is parsed
                    writes.remove(write)
                vectors = encoder.submit(self.model.embed, [c.embed_text for p in batch for c in p.chunks])
                writes.append(writer.submit(self._write, target, batch, vectors, report))
                return vectors

            batch: list[_Pending] = []
            batch_chunks = 0
            for parsed in self._parsed(target, files, roots, report):
                batch.append(parsed)
                batch_chunks += len(parsed.chunks)
                encoder_free = embedding is None or embedding.done()
                if batch_chunks >= MAX_EMBED_CHUNKS or (encoder_free and batch_chunks >= MIN_EMBED_CHUNKS):
                    if embedding is not None:
                        embedding.result()  # one batch in the encoder at a time
                    embedding = submit(batch)
                    batch, batch_chunks = [], 0
            if batch:
                submit(batch)
            for write in writes:
                write.result()

    def _parsed(self, target: Generation, files: list[Path], roots: list[Path], report: IngestReport) -> Iterator[_Pending]:
        """Each new or changed file, parsed and chunked; unchanged and failed files are counted on the way."""
        incomplete = target.reconcile()
        live = target.documents()
        for path in files:
            try:
                version, data = self._version_of(path)
                existing = live.get(version.doc_id)
                if existing and existing.doc_hash == version.doc_hash and version.doc_id not in incomplete:
                    report.unchanged += 1
                    self.progress.file_done(path)
                    continue
                parsed = parse_with_budget(path, data, self.settings.parse_timeout_s)
                meta = resolve_metadata(path, parsed.front_matter, self._defaults_for(path))
                meta = at_least_as_restricted(meta, self._defaults_for(path))
                version.meta = meta.as_record() | {"path": _shown_path(path, roots)}
                if defaults := self._defaults_for(path):
                    version.meta["source_defaults"] = defaults
                if unknown := meta.unknown_audiences:
                    report.warnings.append(FileFailure(str(path), (
                        f"unknown audience {', '.join(map(repr, unknown))}: visible to {meta.visibility}s only "
                        f"(public labels: {', '.join(sorted(PUBLIC_AUDIENCES))}; restricted: {', '.join(RESTRICTED_AUDIENCES)})"
                    )))
                version.title = _title_of(path, version.meta, parsed.elements)
                previous_hash, changed_at = self._changed_at.get(version.doc_id, (None, None))
                version.changed_at = changed_at if previous_hash == version.doc_hash else None
                chunks = chunk_elements(
                    parsed.elements,
                    version,
                    chunk_size=self.settings.chunk_size,
                    chunk_overlap=self.settings.chunk_overlap,
                )
            except Exception as exc:  # one bad file never stops the batch
                report.failed.append(FileFailure(path=str(path), error=_reason(exc)))
                self.progress.file_done(path)
                continue
            yield _Pending(path, version, chunks, is_new=existing is None)

    def _version_of(self, path: Path) -> tuple[DocumentVersion, bytes]:
        """Identity and content hash, from bytes and metadata only: no parsing needed to skip."""
        data = read_capped(path, self.settings.max_file_bytes, self.settings.max_file_mb)
        size = len(data)
        doc_id = doc_id_for(path)
        # Front-matter is part of the bytes; folder defaults and sidecars are hashed here.
        outside_meta = resolve_metadata(path, defaults=self._defaults_for(path)).as_record()
        digest = hashlib.sha256()
        for part in (doc_id.encode(), data, json.dumps(outside_meta, sort_keys=True).encode()):
            digest.update(hashlib.sha256(part).digest())
        version = DocumentVersion(
            doc_id=doc_id,
            source=str(path),
            title=path.stem,
            filetype=path.suffix.lower().lstrip("."),
            doc_hash=digest.hexdigest(),
            size_bytes=size,
        )
        return version, data

    def _defaults_for(self, path: Path) -> dict[str, object]:
        """The declaring source's defaults: given to this run, else recorded with the document."""
        return self.defaults or self._recorded_defaults.get(str(path), {})

    def _write(
        self, target: Generation, pending: list[_Pending], embedding: Future[np.ndarray], report: IngestReport
    ) -> None:
        target.write_documents([(item.version, item.chunks) for item in pending], embedding.result())
        for item in pending:
            if item.is_new:
                report.added += 1
            else:
                report.updated += 1
            report.chunks_written += len(item.chunks)
            self.progress.chunks_done(len(item.chunks))
            self.progress.file_done(item.path)

    def _prune(self, target: Generation, roots: list[Path], seen: set[str]) -> int:
        """Documents under the given paths whose files are gone; files that failed are kept."""
        gone = [
            doc_id
            for doc_id, row in target.documents().items()
            if row.source not in seen and not Path(row.source).exists() and _is_under(Path(row.source), roots)
        ]
        return target.delete_documents(gone)


def at_least_as_restricted(meta: DocumentMeta, defaults: dict[str, object]) -> DocumentMeta:
    """A source's declared audience is a floor: a document may narrow it, never widen it (an email
    attachment saying `audience: [everyone]` in a facilitators-only list stays facilitators-only)."""
    declared = defaults.get("audience")
    if not declared:
        return meta
    floor = DocumentMeta.model_validate({"audience": declared})
    if ROLE_RANK[floor.visibility] > ROLE_RANK[meta.visibility]:
        return meta.model_copy(update={"audience": floor.audience})
    return meta


def _discover(roots: Iterable[Path], report: IngestReport, follow_links: bool = False) -> Iterator[Path]:
    """Supported files under the given paths, sorted; anything else is reported as failed.

    Paths are as found (not resolved), so a link keeps its own name and the document its identity.
    """
    for root in roots:
        if not root.is_dir():
            if _supported(root, report):
                yield root
            continue

        def unreadable(error: OSError) -> None:
            report.failed.append(FileFailure(str(error.filename), f"cannot read folder: {error.strerror or error}"))

        for folder, dirnames, filenames in os.walk(root, onerror=unreadable):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                path = Path(folder) / name
                if name.startswith(".") or is_metadata_file(path):
                    continue
                if _supported(path, report) and (follow_links or _inside(path, root, report)):
                    yield path


def _inside(path: Path, root: Path, report: IngestReport) -> bool:
    """A link must resolve inside the folder being ingested (`--follow-links` lifts this)."""
    target = path.resolve()
    if target == root or root in target.parents:
        return True
    report.failed.append(FileFailure(
        str(path), f"symbolic link points outside the ingested folder (to {target}); use --follow-links to allow it"
    ))
    return False


def read_capped(path: Path, limit: int, limit_mb: float) -> bytes:
    """A regular file's bytes, stopping at the cap by bytes actually read.

    Pipes and devices are refused before any read (a named pipe blocks forever, /dev/zero never
    ends), and `st_size` is not trusted for the cap. Opened non-blocking, then checked, so a
    file swapped for a pipe between the two steps cannot hang the ingest lock.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a named pipe" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) | stat.S_ISBLK(mode) else "a socket or other special file"
            raise ParseError(f"not a regular file ({kind}); only regular files are read")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ParseError(f"file is over the {limit_mb:g} MB cap (PEERASSIST_MAX_FILE_MB)")
    return data


def _supported(path: Path, report: IngestReport) -> bool:
    if path.suffix.lower() in SUPPORTED_SUFFIXES:
        if path.is_symlink() and not path.exists():
            report.failed.append(FileFailure(str(path), "cannot read: broken symbolic link"))
            return False
        return True
    report.failed.append(
        FileFailure(str(path), f"unsupported file type '{path.suffix or path.name}'; supported: "
                    + ", ".join(sorted(SUPPORTED_SUFFIXES)))
    )
    return False


def _title_of(path: Path, meta: dict[str, object], elements: list[object]) -> str:
    if meta.get("title"):
        return str(meta["title"])
    for element in elements:
        if type(element).__name__ == "Title":
            return str(element.text).strip()  # type: ignore[attr-defined]
        break
    return path.stem.replace("-", " ").replace("_", " ").strip().capitalize()


def _reason(exc: Exception) -> str:
    if isinstance(exc, PermissionError):
        return "cannot read: permission denied"
    if isinstance(exc, OSError):
        return f"cannot read: {exc.strerror or exc}"
    if isinstance(exc, ParseError | MetadataError):
        return str(exc)
    return f"unexpected error: {exc!r}"[:300]


def _shown_path(path: Path, roots: list[Path]) -> str:
    """The path members see: relative to the folder it was ingested from, never the server's layout."""
    for root in roots:
        if root.is_dir() and root in path.parents:
            return path.relative_to(root).as_posix()
    return path.name


def _is_under(path: Path, roots: list[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


def _dedupe(paths: list[Path], key: Callable[[Path], Path] = lambda path: path) -> list[Path]:
    """The paths in order, each `key` kept once (its first path)."""
    first: dict[Path, Path] = {}
    for path in paths:
        first.setdefault(key(path), path)
    return list(first.values())
