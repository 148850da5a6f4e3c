"""Chunks of an element too long for one: what answers may quote of each."""

from __future__ import annotations

from pathlib import Path

from peerassist.ingest.chunking import chunk_elements
from peerassist.ingest.parsing import parse_file
from peerassist.sentences import split_sentences
from peerassist.store import Chunk, DocumentVersion
from peerassist.text import quotable_text

# Twenty short, distinct sentences in one paragraph: far over one chunk of 300 characters.
SENTENCES = [f"Ward {n} reviews its alerts every {n + 2} hours on weekdays." for n in range(1, 21)]


def _chunks(markdown: str, chunk_size: int = 300, overlap: int = 80) -> list[Chunk]:
    path = Path("long.md")
    parsed = parse_file(path, markdown.encode())
    version = DocumentVersion(doc_id="d1", source=str(path), title="Long", filetype="md", doc_hash="h" * 16, size_bytes=0)
    return chunk_elements(parsed.elements, version, chunk_size=chunk_size, chunk_overlap=overlap)


def test_a_split_paragraph_quotes_every_sentence_once_and_whole() -> None:
    chunks = _chunks("# Long\n\n" + " ".join(SENTENCES) + "\n")
    assert len(chunks) >= 3
    quoted = [s for chunk in chunks for s in split_sentences(quotable_text(chunk.text, chunk.metadata))]
    assert sorted(quoted) == sorted(SENTENCES), quoted  # none cut, none twice, none lost
    continuations = chunks[1:]
    # The repeated overlap is still stored and embedded, as context for retrieval.
    assert all(chunk.metadata.get("quote_from") for chunk in continuations)
    assert all(chunk.text[: chunk.metadata["quote_from"]] in chunk.embed_text for chunk in continuations)


def test_a_split_table_quotes_each_row_once_and_never_glued_to_the_overlap() -> None:
    rows = [f"| R{n:02d} | Risk number {n} of the register | Owner {n} |" for n in range(1, 25)]
    chunks = _chunks("# Risks\n\n| ID | Risk | Owner |\n|---|---|---|\n" + "\n".join(rows) + "\n")
    assert len(chunks) >= 3
    lines = [line for chunk in chunks for line in quotable_text(chunk.text, chunk.metadata).splitlines() if line.strip()]
    ids = [line.split(";")[0] for line in lines]
    assert len(ids) == len(set(ids)) == len(rows), lines
    assert all(line.startswith("ID: R") for line in lines), lines


def test_a_sentence_too_long_to_repeat_is_never_quoted_from_its_middle() -> None:
    """A split inside a sentence longer than the overlap leaves no whole copy of it: the second chunk's
    quotable text starts at its next sentence, not at the cut."""
    long = "The committee " + " ".join(f"heard report {n} and" for n in range(1, 10)) + " closed the meeting."
    chunks = _chunks("# Long\n\n" + " ".join([*SENTENCES[:3], long, *SENTENCES[3:8]]) + "\n")
    quotable = [quotable_text(chunk.text, chunk.metadata) for chunk in chunks]
    assert len(chunks) >= 2 and all(text[:1].isupper() for text in quotable), quotable
    assert all(sentence in " ".join(quotable) for sentence in SENTENCES[3:8])


def test_a_chunk_that_was_not_split_is_quoted_whole() -> None:
    [chunk] = _chunks("# Short\n\n" + " ".join(SENTENCES[:3]) + "\n")
    assert quotable_text(chunk.text, chunk.metadata) == chunk.text
    assert "quote_from" not in chunk.metadata and "quote_to" not in chunk.metadata
