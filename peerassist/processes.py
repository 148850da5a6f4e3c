"""Waiting for a server we started (Chroma, `peerassist serve`) to answer on loopback."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx


def wait_for_http(url: str, process: subprocess.Popen[bytes], timeout_s: float = 90, log: Path | None = None) -> None:
    """Return once `url` answers 200; kill the process and raise with its log tail if it dies or times out."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise RuntimeError(f"{url} did not come up: {tail}")
        time.sleep(0.3)
