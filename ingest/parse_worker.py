"""Parsing in a child process, so one file cannot hold the ingest lock for minutes.

A parser can be made to work for minutes on a small file (a 57 KB DOCX of two million empty
paragraphs took 147 s) and a thread cannot be stopped, so files are parsed by a long-lived
child process; a file that takes longer than the budget (`PEERASSIST_PARSE_TIMEOUT_S`) is
reported as failed, the child is killed and the next file gets a fresh one. The child
starts once per process (spawned: safe beside the embedding threads) and is reused.
"""

from __future__ import annotations

import atexit
import multiprocessing
import threading
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from peerassist.ingest.parsing import ParsedDocument, ParseError


READY = "ready"
START_TIMEOUT_S = 120
WARM_UP = b"# Warm-up\n\nA short paragraph. Another sentence.\n\n- an item\n"


class ParseWorker:
    def __init__(self) -> None:
        self._lock = threading.Lock()  # one file at a time over the pipe (the API parses from threads)
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None

    def parse(self, path: Path, data: bytes, budget_s: float) -> ParsedDocument:
        with self._lock:
            conn = self._connection()
            conn.send((path, data))
            if not conn.poll(budget_s):
                self.stop()
                raise ParseError(f"parsing took longer than {budget_s:g} s (PEERASSIST_PARSE_TIMEOUT_S); file skipped")
            try:
                ok, value = conn.recv()
            except EOFError:  # the parser itself died (out of memory, a crash in a C library)
                self.stop()
                raise ParseError("the parser stopped while reading this file") from None
        if not ok:
            raise value
        return value

    def stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join(timeout=10)
        self._process = self._conn = None

    def _connection(self) -> Connection:
        if self._conn is None or self._process is None or not self._process.is_alive():
            context = multiprocessing.get_context("spawn")
            self._conn, child = context.Pipe()
            self._process = context.Process(target=_serve, args=(child,), name="peerassist-parser", daemon=True)
            self._process.start()
            child.close()
            if not self._conn.poll(START_TIMEOUT_S) or self._conn.recv() != READY:
                self.stop()
                raise ParseError(f"the parser process did not start within {START_TIMEOUT_S} s")
        return self._conn


def _serve(conn: Connection) -> None:
    """The child: parse each (path, bytes) it is sent, send back (True, parsed) or (False, error).

    It first parses a small document, so the imports and the spaCy model load are not charged
    to the first file's budget, and says it is ready.
    """
    from peerassist.ingest.metadata import MetadataError
    from peerassist.ingest.parsing import parse_file

    parse_file(Path("warm-up.md"), WARM_UP)
    conn.send(READY)
    while True:
        try:
            path, data = conn.recv()
        except EOFError:
            return
        try:
            conn.send((True, parse_file(path, data)))
        except Exception as exc:  # noqa: BLE001 - the parent reports it per file
            known = isinstance(exc, ParseError | MetadataError)
            conn.send((False, exc if known else ParseError(f"unexpected error: {exc!r}"[:300])))


_worker = ParseWorker()
atexit.register(_worker.stop)


def parse_with_budget(path: Path, data: bytes, budget_s: float) -> ParsedDocument:
    return _worker.parse(path, data, budget_s)
