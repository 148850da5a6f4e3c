"""Parsing in a child process, so one file cannot hold the ingest lock for minutes.

A parser can be made to work for minutes on a small file (a 57 KB DOCX of two million empty
paragraphs took 147 s) and a thread cannot be stopped, so files are parsed by a long-lived
child process; a file that takes longer than the budget (`PEERASSIST_PARSE_TIMEOUT_S`) is
reported as failed, the child is killed and the next file gets a fresh one.

The child is a plain `python -m peerassist.ingest.parse_worker`, not a multiprocessing child:
multiprocessing's spawn re-imports the caller's main script, so a script without an
`if __name__ == "__main__"` guard would start its own ingest in the child and wait forever for
the ingest lock its parent holds. Requests and replies are pickled, each behind its length, over
the child's stdin and a private copy of its stdout (its fd 1 points at stderr, so a library that
prints cannot corrupt the stream).
"""

from __future__ import annotations

import atexit
import os
import pickle
import selectors
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

from peerassist.ingest.parsing import ParsedDocument, ParseError

READY = "ready"
START_TIMEOUT_S = 120
WARM_UP = b"# Warm-up\n\nA short paragraph. Another sentence.\n\n- an item\n"
HEADER_BYTES = 8


class ParseWorker:
    def __init__(self) -> None:
        self._lock = threading.Lock()  # one file at a time over the pipe (the API parses from threads)
        self._process: subprocess.Popen[bytes] | None = None
        self._ready = False  # the child has said it finished its imports and warm-up

    def start(self) -> None:
        """Start the child without waiting for it: its imports (about 1.5 s) run while the caller
        opens the store and hashes files, instead of before the first parse."""
        with self._lock:
            self._spawned()

    def parse(self, path: Path, data: bytes, budget_s: float) -> ParsedDocument:
        with self._lock:
            process = self._running()
            assert process.stdin is not None and process.stdout is not None
            try:
                _send(process.stdin, (path, data))
                ok, value = _receive(process.stdout, budget_s)
            except TimeoutError:
                self.stop()
                raise ParseError(f"parsing took longer than {budget_s:g} s (PEERASSIST_PARSE_TIMEOUT_S); file skipped") from None
            except (EOFError, BrokenPipeError):  # the parser itself died (out of memory, a crash in a C library)
                self.stop()
                raise ParseError("the parser stopped while reading this file") from None
        if not ok:
            raise value
        return value

    def stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=10)
            for stream in (self._process.stdin, self._process.stdout):
                if stream:
                    stream.close()
        self._process = None
        self._ready = False

    def _spawned(self) -> subprocess.Popen[bytes]:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "peerassist.ingest.parse_worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
            )
            self._ready = False
        return self._process

    def _running(self) -> subprocess.Popen[bytes]:
        process = self._spawned()
        if not self._ready:
            assert process.stdout is not None
            try:
                started = _receive(process.stdout, START_TIMEOUT_S)
            except (TimeoutError, EOFError):
                started = None
            if started != READY:
                self.stop()
                raise ParseError(f"the parser process did not start within {START_TIMEOUT_S} s")
            self._ready = True
        return process


def _send(stream: IO[bytes], value: Any) -> None:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(payload).to_bytes(HEADER_BYTES, "big") + payload)
    stream.flush()


def _receive(stream: IO[bytes], timeout_s: float | None = None) -> Any:
    """The next value; TimeoutError if none starts arriving within `timeout_s`, EOFError if the other side is gone."""
    if timeout_s is not None and not _readable_within(stream, timeout_s):
        raise TimeoutError
    header = _read_exactly(stream, HEADER_BYTES)
    return pickle.loads(_read_exactly(stream, int.from_bytes(header, "big")))


def _readable_within(stream: IO[bytes], timeout_s: float) -> bool:
    """poll, not select: select() fails outright on a descriptor numbered 1024 or more (a server with
    many connections open, or a long test run)."""
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        return bool(selector.select(timeout_s))


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = os.read(stream.fileno(), size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def serve() -> None:
    """The child: parse each (path, bytes) it is sent, send back (True, parsed) or (False, error).

    It first parses a small document, so the imports and the spaCy model load are not charged
    to the first file's budget, and says it is ready.
    """
    # Nothing here needs torch (spaCy's small English model runs on numpy), but spaCy's thinc imports
    # it if it can: about 1 s of the child's start. A None entry makes that import fail as "not installed".
    sys.modules["torch"] = None  # type: ignore[assignment]
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes to stderr, never into the reply stream
    requests = sys.stdin.buffer
    from peerassist.ingest.metadata import MetadataError
    from peerassist.ingest.parsing import parse_file

    parse_file(Path("warm-up.md"), WARM_UP)
    _send(replies, READY)
    while True:
        try:
            path, data = _receive(requests)
        except EOFError:
            return
        try:
            reply = (True, parse_file(path, data))
        except Exception as exc:  # noqa: BLE001 - the parent reports it per file
            known = isinstance(exc, ParseError | MetadataError)
            reply = (False, exc if known else ParseError(f"unexpected error: {exc!r}"[:300]))
        _send(replies, reply)


_worker = ParseWorker()
atexit.register(_worker.stop)


def parse_with_budget(path: Path, data: bytes, budget_s: float) -> ParsedDocument:
    return _worker.parse(path, data, budget_s)


def start_parse_worker() -> None:
    _worker.start()


def stop_parse_worker() -> None:
    _worker.stop()


if __name__ == "__main__":
    serve()
