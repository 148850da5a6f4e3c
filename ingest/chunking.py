"""Elements to chunks that respect sections: unstructured's chunk-by-title with a size cap.

A chunk never spans two sections, so its section path (and its citation) is exact. Long
elements are split with overlap. The embedded text is prefixed with the document title and
section path, so a passage that never repeats its topic still retrieves on it. List items
keep a "- " bullet in the stored text, so answers can quote a list as a list.
"""

from __future__ import annotations

import hashlib
from typing import Any

from peerassist.store import Chunk, DocumentVersion, shown_path
from peerassist.text import LIST_MARKER, heading_path



def chunk_elements(
    elements: list[Any], version: DocumentVersion, *, chunk_size: int, chunk_overlap: int
) -> list[Chunk]:
    from unstructured.chunking.title import chunk_by_title

    pieces = chunk_by_title(
        [_marked(e) for e in elements],
        max_characters=chunk_size,
        new_after_n_chars=int(chunk_size * 0.8),
        overlap=chunk_overlap,
        combine_text_under_n_chars=0,
        multipage_sections=True,
        include_orig_elements=True,
    )
    chunks: list[Chunk] = []
    for piece in pieces:
        originals = piece.metadata.orig_elements or []
        if originals and all(type(e).__name__ == "Title" for e in originals):
            continue  # a bare heading: its words live on in the section paths below it
        first = originals[0] if originals else piece
        section = getattr(first.metadata, "section", "") or ""
        page = next((e.metadata.page_number for e in originals if e.metadata.page_number), None)
        chunks.append(_make_chunk(piece.text, len(chunks), section, page, version))
    return chunks


def _marked(element: Any) -> Any:
    """A list item with a bullet in its text (unstructured keeps the item's kind, not its marker)."""
    if type(element).__name__ == "ListItem" and not LIST_MARKER.match(element.text):
        element.text = f"- {element.text}"
    return element



def _link(version: DocumentVersion, section: str) -> str:
    """Where a citation points: a fetched page's URL at the anchor of the chunk's section where it has one."""
    anchors = version.meta.get("anchors") or {}
    url = version.meta.get("url")
    for heading in reversed(section.split(" > ") if url and section else []):
        if (anchor := anchors.get(heading.strip())) is not None:
            return f"{url}#{anchor}"
    return shown_path(version)


def _make_chunk(text: str, index: int, section: str, page: int | None, version: DocumentVersion) -> Chunk:
    meta = version.meta
    metadata: dict[str, Any] = {
        "doc_id": version.doc_id,
        "doc_hash": version.doc_hash,
        "source": _link(version, section),
        "title": version.title,
        "filetype": version.filetype,
        "section": section,
        "chunk_index": index,
        "content_hash": hashlib.sha256(text.encode()).hexdigest()[:16],
        "visibility": meta.get("visibility", "member"),
    }
    if page is not None:
        metadata["page"] = int(page)
    for key in ("author", "date"):
        if meta.get(key):
            metadata[key] = str(meta[key])
    for key in ("tags", "audience"):  # Chroma rejects empty lists
        if meta.get(key):
            metadata[key] = list(meta[key])
    heading = heading_path(version.title, section)
    return Chunk(
        id=f"{version.doc_id}-{version.doc_hash[:12]}-{index:04d}",
        text=text,
        embed_text=f"{heading}\n\n{text}",
        metadata=metadata,
    )
