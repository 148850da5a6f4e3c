"""HTTP load on `peerassist serve` (loopback only, bounded): N concurrent clients asking sample
questions for a fixed time. Prints requests/s, latency percentiles, errors (target 0), and, in the
same run, the in-process answer time of the same questions, so the HTTP overhead shows.

    python -m peerassist.evals.bench_load [--clients 20] [--seconds 60] [--workers 1] [--workdir .bench/load]
                                          [--chroma-url http://127.0.0.1:8000]   # server mode: a `chroma run`
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from peerassist.evals.datasets import load_golden
from peerassist.evals.metrics import percentile
from peerassist.ingest.pipeline import Ingestor
from peerassist.keys import create_key
from peerassist.processes import wait_for_http
from peerassist.settings import Settings
from peerassist.store import KnowledgeIndex
from peerassist.retriever.service import AnswerService

VENV_BIN = Path(sys.executable).parent


async def client(url: str, key: str, questions: itertools.cycle, deadline: float, latencies: list[float], errors: list[str]) -> None:  # type: ignore[type-arg]
    async with httpx.AsyncClient(base_url=url, timeout=60, headers={"Authorization": f"Bearer {key}"}) as http:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                response = await http.post("/api/ask", json={"question": next(questions)})
                if response.status_code != 200:
                    errors.append(f"HTTP {response.status_code}: {response.text[:100]}")
            except httpx.HTTPError as exc:
                errors.append(type(exc).__name__)
            latencies.append(time.perf_counter() - started)


async def load(url: str, key: str, questions: list[str], clients: int, seconds: float) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    cycle = itertools.cycle(questions)
    started = time.perf_counter()
    await asyncio.gather(*(client(url, key, cycle, started + seconds, latencies, errors) for _ in range(clients)))
    return latencies, errors, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workdir", type=Path, default=Path(".bench/load"))
    parser.add_argument("--chroma-url", default=None, help="a running `chroma run` server (default: embedded store)")
    args = parser.parse_args()

    golden = load_golden()
    questions = [q.question for q in golden.questions if q.answerable and not q.conversation and q.role == "member"]
    settings = Settings(data_dir=args.workdir, rate_limit="1000000/minute", chroma_url=args.chroma_url)
    Ingestor(KnowledgeIndex(settings)).run([golden.corpus_dir], sync=True)  # type: ignore[list-item]
    _, key = create_key(KnowledgeIndex(settings).db, "member")

    service = AnswerService(settings, log_queries=True)
    for question in questions:  # warm the model and caches, as the server is during the load
        service.ask(question)
    in_process = []
    for question in questions:
        started = time.perf_counter()
        service.ask(question)
        in_process.append(time.perf_counter() - started)

    env = os.environ | {"PEERASSIST_DATA_DIR": str(args.workdir), "PEERASSIST_RATE_LIMIT": "1000000/minute"}
    if args.chroma_url:
        env["PEERASSIST_CHROMA_URL"] = args.chroma_url
    server = subprocess.Popen(
        [str(VENV_BIN / "peerassist"), "serve", "--port", str(args.port), "--workers", str(args.workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{args.port}"
    try:
        wait_for_http(f"{url}/readyz", server, 120)
        asyncio.run(load(url, key, questions[:5], 2, 5))  # warm-up: every worker loads its model
        latencies, errors, elapsed = asyncio.run(load(url, key, questions, args.clients, args.seconds))
    finally:
        server.terminate()
        server.wait(timeout=30)

    ms = [x * 1000 for x in latencies]
    own = [x * 1000 for x in in_process]
    store = f"Chroma server {args.chroma_url}" if args.chroma_url else "embedded Chroma"
    print(f"\n{args.clients} clients, {elapsed:.0f} s, {args.workers} worker(s), {store}, {len(questions)} distinct questions")
    print(f"{'requests':<28}{len(latencies):>10}")
    print(f"{'requests/s':<28}{len(latencies) / elapsed:>10.1f}")
    for q in (50, 95, 99):
        print(f"{f'HTTP latency p{q} ms':<28}{percentile(ms, q):>10.0f}")
    # Where the tail lives: the first pass over the questions meets cold caches (each passage's
    # sentences embedded for the first time), every later request is a repeat.
    first_pass, repeats = ms[: len(questions)], ms[len(questions) :]
    print(f"{'p99 ms, first pass (cold)':<28}{percentile(first_pass, 99):>10.0f}  ({len(first_pass)} requests)")
    print(f"{'p99 ms, repeats (warm)':<28}{percentile(repeats, 99):>10.0f}  ({len(repeats)} requests)")
    print(f"{'errors':<28}{len(errors):>10}  (target 0){'  e.g. ' + errors[0] if errors else ''}")
    print(f"{'in-process answer p50 ms':<28}{percentile(own, 50):>10.0f}")
    print(f"{'in-process answer p95 ms':<28}{percentile(own, 95):>10.0f}")
    capacity = 1000 / percentile(own, 50) if own else 0
    print(f"{'in-process answers/s':<28}{capacity:>10.1f}  (one thread, warm caches)")


if __name__ == "__main__":
    main()
