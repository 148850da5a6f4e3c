"""A source's documents as files: rebuilt in a staging folder, swapped in whole when the fetch succeeds.

Each document is a file plus a `.meta.yaml` sidecar (its link back, authors, tags), both
written from what the source said, so a document that did not change is byte-identical
and the ingest skips it without embedding. A fetch that fails is discarded: the folder,
and so the index, keep the last good documents.
"""

from __future__ import annotations

import re
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from peerassist.ingest.metadata import SIDECAR_SUFFIX

UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_SLUG = 60


class SourceFailed(Exception):
    """The source as a whole cannot be read (site down, bad zip); its last good documents are kept."""


@dataclass
class SourceDocument:
    """One document a source yields: its file name inside the source's folder, its bytes, its metadata."""

    name: str
    data: bytes
    meta: dict[str, Any] = field(default_factory=dict)


def thread_people(asker: str, replies: list[tuple[str, str]]) -> dict[str, Any]:
    """Who a thread credits: `author` answered most (by words), `contributors` everyone, repliers first.

    `replies` are (author, text) in order; recognition and "who knows this?" read these keys.
    """
    words: dict[str, int] = {}
    for author, text in replies:
        words[author] = words.get(author, 0) + len(text.split())
    people = list(dict.fromkeys([*words, asker]))
    main = max(words, key=lambda a: (words[a], -people.index(a))) if words else asker
    return {"author": main, "asked_by": asker, "contributors": people}


def slug(text: str, limit: int = MAX_SLUG) -> str:
    """A file-name-safe, readable piece of text ("Re: Parking?" -> "Re-Parking")."""
    return UNSAFE.sub("-", text).strip("-._")[:limit] or "untitled"


class Mirror:
    """The folder holding one source's documents (`<data dir>/sources/<name>/`)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def stage(self) -> Staging:
        self.root.parent.mkdir(parents=True, exist_ok=True)
        return Staging(self, self.root.parent / f".staging-{self.root.name}-{uuid.uuid4().hex[:8]}")


class Staging:
    """The next version of a mirror, written file by file, then committed or discarded."""

    def __init__(self, mirror: Mirror, folder: Path) -> None:
        self.mirror = mirror
        self.folder = folder
        folder.mkdir(parents=True)
        self.names: set[str] = set()

    def write(self, document: SourceDocument) -> None:
        path = self._path(document.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(document.data)
        sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
        sidecar.write_text(yaml.safe_dump(document.meta, sort_keys=True, allow_unicode=True), encoding="utf-8")
        self.names.add(document.name)

    def keep(self, name: str) -> bool:
        """Carry a document over unchanged from the current mirror (a page that answered 304, or failed for now)."""
        old = self.mirror.root / name
        if not old.is_file():
            return False
        new = self._path(name)
        new.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", SIDECAR_SUFFIX):
            source = old.with_name(old.name + suffix)
            if source.exists():
                shutil.copy2(source, new.with_name(new.name + suffix))
        self.names.add(name)
        return True

    def has_current(self, name: str) -> bool:
        """The current mirror holds this document (a 304 can be answered from it)."""
        return (self.mirror.root / name).is_file()

    def commit(self) -> None:
        """Swap the staged folder in for the current one."""
        root = self.mirror.root
        old = root.parent / f".old-{root.name}-{uuid.uuid4().hex[:8]}"
        if root.exists():
            root.rename(old)
        self.folder.rename(root)
        shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _path(self, name: str) -> Path:
        path = (self.folder / name).resolve()
        if self.folder.resolve() not in path.parents:
            raise ValueError(f"document name {name!r} leaves the source folder")
        return path
