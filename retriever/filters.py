"""Which documents a search may return: the asker's role plus optional metadata filters.

Filters are decided per document against the registry (tags, audience and visibility are
document-level), so the dense and the lexical retriever apply exactly the same set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from peerassist.roles import ROLE_RANK
from peerassist.db import DocumentRecord

ROLES = tuple(ROLE_RANK)


@dataclass(frozen=True)
class SearchFilter:
    """`role` is who asks; `tags`/`audience` match any listed label; `source` is a substring of the path."""

    role: str = "member"
    tags: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    source: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLE_RANK:
            raise ValueError(f"unknown role {self.role!r}; expected one of {', '.join(ROLES)}")

    def admits(self, record: DocumentRecord) -> bool:
        meta = record.meta or {}
        if ROLE_RANK.get(str(meta.get("visibility", "member")), 0) > ROLE_RANK[self.role]:
            return False
        if self.tags and not _labels(meta.get("tags")) & {t.lower() for t in self.tags}:
            return False
        if self.audience and not _labels(meta.get("audience")) & {a.lower() for a in self.audience}:
            return False
        return not (self.source and self.source.lower() not in record.source.lower())

    def allowed(self, documents: Mapping[str, DocumentRecord]) -> set[str]:
        return {doc_id for doc_id, record in documents.items() if self.admits(record)}


def _labels(value: Any) -> set[str]:
    if value is None:
        return set()
    values = value if isinstance(value, list | tuple) else [value]
    return {str(v).lower() for v in values}
