"""Ingestion throughput on SQuAD 2.0 paragraphs (one document per paragraph). Prints, asserts nothing.

Figures, all measured in this one run, with the configured embedding backend (default onnx):
  - end-to-end chunks/s of a first ingest (parse, chunk, embed, write), the median of --repeat ingests
    into fresh stores (the parse worker's start, about 2 s, is in each: it is restarted every time);
  - the backend's raw encode throughput on the same chunk texts, measured right after each ingest, and
    the ratio of each ingest to its own raw encode (median of the pairs; target >= 0.8);
  - the parser's start alone (its imports, spaCy's model, a first parse), and the ratio of the same ingest
    run with the parser already started: the pipeline's own efficiency. The start is a fixed cost the
    encoder cannot overlap (nothing is parsed before it), about 1.4 s against some 5 s of raw encode
    here, so a first ingest of this corpus stays under 0.8 however well the rest overlaps;
  - the CPU each first ingest spent (this process: encoder, chunking, store; the parse worker, start
    included) against the raw encode's own. Both cores are busy while the encoder runs, so every other
    CPU second of the ingest is wall time the encoder loses: raw encode CPU / ingest CPU is the best
    ratio this machine allows, however well the stages overlap;
  - both backends' raw encode throughput on those texts, onnx / torch (target >= 2);
  - the whole of what `peerassist ingest` does before it returns: the ingest, then the answer
    index (BM25, each line's sentences and entities, the vector of every text answers score);
    beside it, the raw encode time of every text the two embed, and the ratio;
  - one new document ingested into the indexed corpus, answer index included;
  - an immediate unchanged re-ingest's time as a fraction of the first (target <= 0.05).

    python -m peerassist.evals.bench_ingest [--dataset PATH] [--limit N] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import tempfile
import time
from pathlib import Path

from peerassist.ingest.parse_worker import parse_with_budget, start_parse_worker, stop_parse_worker
from peerassist.ingest.pipeline import Ingestor
from peerassist.embeddings import EmbeddingModel, embedding_model_for, get_embedding_model
from peerassist.settings import Settings
from peerassist.store import KnowledgeIndex
from peerassist.retriever.view import KnowledgeView

DEFAULT_DATASET = Path(__file__).resolve().parents[1].parent / "shared/datasets/squad2-dev-half/dev-v2.0.json"


def squad_paragraphs(path: Path) -> list[tuple[str, str]]:
    """(article title, paragraph text) for every paragraph of a SQuAD-format file."""
    data = json.loads(path.read_text())["data"]
    return [(article["title"], p["context"]) for article in data for p in article["paragraphs"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--limit", type=int, default=0, help="paragraphs to use (0 = all)")
    parser.add_argument("--repeat", type=int, default=3, help="first ingests and raw encodes to take the median of")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    paragraphs = squad_paragraphs(args.dataset)[: args.limit or None]
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for i, (title, text) in enumerate(paragraphs):
            (corpus / f"{i:05d}.md").write_text(f"---\ntitle: {json.dumps(title)}\n---\n{text}\n")
        model = embedding_model_for(Settings(data_dir=Path(tmp) / "data-0"))
        model.embed(["warm-up: load the weights before timing"])

        # Each first ingest is followed by a raw encode of the texts it embedded, and the ratio is taken pair
        # by pair: this machine's encoder speed drifts by 20 % between minutes, and a ratio of an ingest from
        # one minute to a raw speed from another swung between 0.67 and 0.81 on the same tree.
        first_s, raw_runs, ratios, parser_start_s, started_ratios = [], [], [], [], []
        ingest_cpu, parser_cpu, raw_cpu = [], [], []
        for attempt in range(args.repeat):
            stop_parse_worker()  # each first ingest starts its parser, as `peerassist ingest` does
            fresh = Settings(data_dir=Path(tmp) / f"data-{attempt}")
            before = cpu_seconds()
            first = Ingestor(KnowledgeIndex(fresh), model=model).run([corpus])
            ingest_cpu.append(cpu_seconds()[0] - before[0])
            first_s.append(first.seconds)
            if attempt == 0:
                stored = KnowledgeIndex(fresh).generation().collection.get(include=["metadatas", "documents"])
                # The exact texts the pipeline embedded: heading line + chunk text.
                texts = [f"{meta['title']}\n\n{text}" for meta, text in zip(stored["metadatas"], stored["documents"], strict=True)]
            encoded = cpu_seconds()
            raw_runs.append(encode_rate(model, texts))
            raw_cpu.append(cpu_seconds()[0] - encoded[0])
            ratios.append(first.chunks_written / first.seconds / raw_runs[-1])
            stop_parse_worker()  # reaped, so its whole CPU (start and parses) counts as a child's
            parser_cpu.append(cpu_seconds()[1] - before[1])
            parser_start_s.append(timed_parser_start())
            started = Ingestor(KnowledgeIndex(Settings(data_dir=Path(tmp) / f"started-{attempt}")), model=model).run([corpus])
            started_ratios.append(started.chunks_written / started.seconds / encode_rate(model, texts))
        settings = fresh
        answer_index_s, answer_texts = timed_answer_index(settings)

        (corpus / "new.md").write_text(NEW_DOCUMENT)
        one_new = Ingestor(KnowledgeIndex(settings), model=model).run([corpus])
        one_new_answer_index_s, _ = timed_answer_index(settings)
        second = Ingestor(KnowledgeIndex(settings), model=model).run([corpus])
        backends = {
            backend: encode_rate(get_embedding_model(settings.embedding_model, settings.embedding_batch_size, backend), texts)
            for backend in ("torch", "onnx")
        }

    first_median_s = statistics.median(first_s)
    end_to_end = first.chunks_written / first_median_s
    raw = statistics.median(raw_runs)
    whole_s = first_median_s + answer_index_s
    cpu_ceiling = statistics.median(raw / (main + parse) for raw, main, parse in zip(raw_cpu, ingest_cpu, parser_cpu, strict=True))
    raw_all_s = len(texts) / raw + len(answer_texts) / encode_rate(model, answer_texts)
    rows = [
        ("embedding backend", settings.embedding_backend),
        ("documents", f"{len(paragraphs)}"),
        ("chunks written", f"{first.chunks_written}"),
        ("first ingest, s (median; min-max)", f"{first_median_s:.2f} ({min(first_s):.2f}-{max(first_s):.2f})"),
        ("end-to-end chunks/s", f"{end_to_end:.1f}"),
        ("raw encode chunks/s, after each (median; min-max)", f"{raw:.1f} ({min(raw_runs):.1f}-{max(raw_runs):.1f})"),
        ("ratio end-to-end / raw, pair by pair (target >= 0.8)", f"{statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})"),
        ("parser start alone, s (median)", f"{statistics.median(parser_start_s):.2f}"),
        ("ratio with the parser already started", f"{statistics.median(started_ratios):.2f} ({min(started_ratios):.2f}-{max(started_ratios):.2f})"),
        ("CPU s of a first ingest: this process + parse worker", f"{statistics.median(ingest_cpu):.2f} + {statistics.median(parser_cpu):.2f}"),
        ("CPU s of the raw encode of the same texts", f"{statistics.median(raw_cpu):.2f}"),
        ("best ratio the CPU allows: raw encode / ingest CPU", f"{cpu_ceiling:.2f}"),
        ("raw encode chunks/s, torch backend", f"{backends['torch']:.1f}"),
        ("raw encode chunks/s, onnx backend", f"{backends['onnx']:.1f}"),
        ("onnx / torch (target >= 2)", f"{backends['onnx'] / backends['torch']:.2f}"),
        ("answer index after the ingest, s", f"{answer_index_s:.2f}"),
        ("whole first ingest (ingest + answer index), s", f"{whole_s:.2f}"),
        ("raw encode of every text both embed, s", f"{raw_all_s:.2f}"),
        ("texts embedded: chunks / answer index", f"{len(texts)} / {len(answer_texts)}"),
        ("ratio whole: raw encode / whole ingest", f"{raw_all_s / whole_s:.2f}"),
        ("one new document: ingest + answer index, s", f"{one_new.seconds:.2f} + {one_new_answer_index_s:.2f}"),
        ("unchanged re-ingest, s", f"{second.seconds:.3f}"),
        ("re-ingest / first (target <= 0.05)", f"{second.seconds / first_median_s:.4f}"),
        ("re-ingest unchanged / failed", f"{second.unchanged} / {len(second.failed)}"),
    ]
    width = max(len(name) for name, _ in rows)
    print("Ingest benchmark: SQuAD 2.0 dev half, one document per paragraph")
    for name, value in rows:
        print(f"  {name:<{width}}  {value:>10}")


NEW_DOCUMENT = "---\ntitle: Staff parking\n---\nStaff permits for the multi-storey car park are issued by Facilities.\n"


def timed_parser_start() -> float:
    """Seconds from starting the parse worker to its first parse back (it is left running)."""
    started = time.perf_counter()
    start_parse_worker()
    parse_with_budget(Path("start.md"), b"# Start\n\nOne sentence. Another sentence.\n", 60)
    return time.perf_counter() - started


def timed_answer_index(settings: Settings) -> tuple[float, list[str]]:
    """Seconds to build the answer index as `peerassist ingest` does after a change; the texts it embeds."""
    started = time.perf_counter()
    lexical = KnowledgeView(KnowledgeIndex(settings)).warm()
    return time.perf_counter() - started, lexical.annotations["vector_texts"]


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds (user + system) of this process and of its reaped children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def encode_rate(model: EmbeddingModel, texts: list[str]) -> float:
    """Texts per second, after a warm-up that loads the weights."""
    model.embed(["warm-up: load the weights before timing"])
    started = time.perf_counter()
    model.embed(texts)
    return len(texts) / (time.perf_counter() - started)


if __name__ == "__main__":
    main()
