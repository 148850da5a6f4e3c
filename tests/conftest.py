"""Shared fixtures. The whole suite runs with outbound network refused (loopback only), so a
test can never pass by quietly downloading a model, and never be skipped because it could not.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import peerassist  # noqa: E402,F401  (sets the offline environment for every library)
from peerassist.processes import wait_for_http  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SAMPLE_KB = REPO / "examples" / "knowledge-base"
VENV_BIN = Path(sys.executable).parent


class NetworkBlocked(OSError):
    pass


def _is_loopback(address: object) -> bool:
    if not isinstance(address, tuple):  # a Unix socket path
        return True
    host = str(address[0])
    return host in ("localhost", "::1") or host.startswith("127.")


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


def _guarded_connect(self: socket.socket, address: object) -> None:
    if not _is_loopback(address):
        raise NetworkBlocked(f"test network guard: connection to {address!r} refused")
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    if not _is_loopback(address):
        raise NetworkBlocked(f"test network guard: connection to {address!r} refused")
    return _real_connect_ex(self, address)


def _guarded_getaddrinfo(host: object, *args: object, **kwargs: object) -> list:  # type: ignore[type-arg]
    if isinstance(host, str) and host not in ("localhost", "::1") and not host.startswith("127."):
        raise NetworkBlocked(f"test network guard: name lookup of {host!r} refused")
    return _real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]


socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
socket.getaddrinfo = _guarded_getaddrinfo  # type: ignore[assignment]


@pytest.fixture(scope="session")
def model():  # type: ignore[no-untyped-def]
    from peerassist.embeddings import get_embedding_model

    return get_embedding_model("all-MiniLM-L6-v2")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_chroma(path: Path, port: int | None = None) -> Iterator[str]:
    """`chroma run` on loopback over the store in `path`, until the block ends."""
    port = port or free_port()
    path.mkdir(parents=True, exist_ok=True)
    log = (path / "server.log").open("a")
    process = subprocess.Popen(
        [str(VENV_BIN / "chroma"), "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=os.environ | {"ANONYMIZED_TELEMETRY": "False"},
    )
    url = f"http://127.0.0.1:{port}"
    wait_for_http(f"{url}/api/v2/heartbeat", process, 60, path / "server.log")
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `chroma run` server on loopback, for the client/server mode."""
    with running_chroma(tmp_path_factory.mktemp("chroma-server")) as url:
        yield url


@pytest.fixture(params=["embedded", "server"])
def settings(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Test settings for each store backend: conformance tests only take this fixture."""
    from peerassist.settings import Settings

    if request.param == "server":
        url = request.getfixturevalue("chroma_server")
        return Settings(data_dir=tmp_path / "data", chroma_url=url, collection=f"t-{uuid.uuid4().hex[:12]}")
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def embedded_settings(tmp_path: Path):  # type: ignore[no-untyped-def]
    from peerassist.settings import Settings

    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    """A small editable knowledge base: three Markdown files and a facilitator-only folder."""
    root = tmp_path / "kb"
    (root / "private").mkdir(parents=True)
    write_md(root / "charter.md", "Charter", "## Purpose\n\nWe help clinicians adopt AI safely.\n\n"
             "## Meetings\n\nWe meet on the second Tuesday of each month in Room 4B.")
    write_md(root / "glossary.md", "Glossary", "## Terms\n\nA model card (MC) is a short document that "
             "describes what a model does, its data and its limits.")
    write_md(root / "faq.md", "FAQ", "## How do I join?\n\nEmail the facilitators and attend one meeting.")
    (root / "private" / "_meta.yaml").write_text("audience: [facilitators]\ntags: [internal]\n")
    (root / "private" / "budget.txt").write_text("Budget 2026\n\nThe training budget for 2026 is 12,000 EUR.\n")
    return root


def write_md(path: Path, title: str, body: str, **front: object) -> Path:
    import yaml

    meta = {"title": title, "author": "Test Author", "tags": ["test"]} | front
    path.write_text(f"---\n{yaml.safe_dump(meta, sort_keys=True)}---\n# {title}\n\n{body}\n")
    return path


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


class Postgres:
    """A real PostgreSQL (Debian's package) on loopback in a temporary folder, that a test may stop and restart."""

    def __init__(self) -> None:
        import glob
        import tempfile

        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        if not bins:
            if os.environ.get("PEERASSIST_REQUIRE_POSTGRES"):
                pytest.fail("PostgreSQL is not installed; .ci/run installs it with apt-get")
            pytest.skip("PostgreSQL is not installed (apt-get install postgresql); CI requires it")
        self.bin = Path(bins[-1])
        self.root = Path(tempfile.mkdtemp(prefix="pa-pg-"))
        self.as_postgres: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            shutil.chown(self.root, "postgres")
            self.as_postgres = ["runuser", "-u", "postgres", "--"]
        self.port = free_port()
        self.url = f"postgresql+psycopg://peerassist@127.0.0.1:{self.port}"
        subprocess.run([*self.as_postgres, str(self.bin / "initdb"), "-D", str(self.root / "data"), "-A", "trust",
                        "-U", "peerassist"], check=True, capture_output=True)

    def start(self) -> None:
        subprocess.run([*self.as_postgres, str(self.bin / "pg_ctl"), "-D", str(self.root / "data"), "-w", "-l",
                        str(self.root / "log"), "-o", f"-p {self.port} -k {self.root} -h 127.0.0.1", "start"],
                       check=True, capture_output=True)

    def stop(self) -> None:
        subprocess.run([*self.as_postgres, str(self.bin / "pg_ctl"), "-D", str(self.root / "data"), "-m", "fast", "stop"],
                       capture_output=True)

    def new_database(self) -> str:
        """A fresh, empty database; its SQLAlchemy URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url.replace("+psycopg", "") + "/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"{self.url}/{name}"

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Postgres]:
    """One PostgreSQL for the session's tests."""
    server = Postgres()
    server.start()
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture
def postgres_url(postgres_server: Postgres) -> str:
    """A fresh, empty database on the session's PostgreSQL server."""
    return postgres_server.new_database()


@pytest.fixture(scope="session")
def sample_settings(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The sample knowledge base ingested once (embedded store) for the answering tests."""
    from peerassist.ingest.pipeline import Ingestor
    from peerassist.settings import Settings
    from peerassist.store import KnowledgeIndex

    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(SAMPLE_KB, root / "kb")
    settings = Settings(data_dir=root / "data")
    report = Ingestor(KnowledgeIndex(settings)).run([root / "kb"])
    assert not report.failed
    return settings


@pytest.fixture(scope="session")
def sample_service(sample_settings):  # type: ignore[no-untyped-def]
    from peerassist.retriever.service import AnswerService

    return AnswerService(sample_settings)
