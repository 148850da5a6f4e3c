"""Ingestion throughput on SQuAD 2.0 paragraphs (one document per paragraph). Prints, asserts nothing.

Figures, all measured in this one run:
  - end-to-end chunks/s of a first ingest (parse, chunk, embed, write);
  - the embedding model's raw encode throughput on the same chunk texts, and the ratio (target >= 0.8);
  - an immediate unchanged re-ingest's time as a fraction of the first (target <= 0.05).

    python -m evals.bench_ingest [--dataset PATH] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from ingest.pipeline import Ingestor
from peerassist.embeddings import get_embedding_model
from peerassist.settings import Settings
from peerassist.store import KnowledgeIndex

DEFAULT_DATASET = Path(__file__).resolve().parents[1].parent / "shared/datasets/squad2-dev-half/dev-v2.0.json"


def squad_paragraphs(path: Path) -> list[tuple[str, str]]:
    """(article title, paragraph text) for every paragraph of a SQuAD-format file."""
    data = json.loads(path.read_text())["data"]
    return [(article["title"], p["context"]) for article in data for p in article["paragraphs"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--limit", type=int, default=0, help="paragraphs to use (0 = all)")
    args = parser.parse_args()

    paragraphs = squad_paragraphs(args.dataset)[: args.limit or None]
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for i, (title, text) in enumerate(paragraphs):
            (corpus / f"{i:05d}.md").write_text(f"---\ntitle: {json.dumps(title)}\n---\n{text}\n")
        settings = Settings(data_dir=Path(tmp) / "data")
        model = get_embedding_model(settings.embedding_model, settings.embedding_batch_size)
        model.embed(["warm-up: load the weights before timing"])

        first = Ingestor(KnowledgeIndex(settings), model=model).run([corpus])
        second = Ingestor(KnowledgeIndex(settings), model=model).run([corpus])

        stored = KnowledgeIndex(settings).generation().collection.get(include=["metadatas", "documents"])
        # The exact texts the pipeline embedded: heading line + chunk text.
        texts = [f"{meta['title']}\n\n{text}" for meta, text in zip(stored["metadatas"], stored["documents"], strict=True)]
        started = time.perf_counter()
        model._load().encode(texts, batch_size=settings.embedding_batch_size, normalize_embeddings=True)  # type: ignore[attr-defined]
        raw_seconds = time.perf_counter() - started

    end_to_end = first.chunks_written / first.seconds
    raw = len(texts) / raw_seconds
    rows = [
        ("documents", f"{len(paragraphs)}"),
        ("chunks written", f"{first.chunks_written}"),
        ("first ingest, s", f"{first.seconds:.2f}"),
        ("end-to-end chunks/s", f"{end_to_end:.1f}"),
        ("raw encode chunks/s (same texts)", f"{raw:.1f}"),
        ("ratio end-to-end / raw (target >= 0.8)", f"{end_to_end / raw:.2f}"),
        ("unchanged re-ingest, s", f"{second.seconds:.3f}"),
        ("re-ingest / first (target <= 0.05)", f"{second.seconds / first.seconds:.4f}"),
        ("re-ingest unchanged / failed", f"{second.unchanged} / {len(second.failed)}"),
    ]
    width = max(len(name) for name, _ in rows)
    print("Ingest benchmark: SQuAD 2.0 dev half, one document per paragraph")
    for name, value in rows:
        print(f"  {name:<{width}}  {value:>10}")


if __name__ == "__main__":
    main()
