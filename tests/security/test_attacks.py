"""The attacks of issue 15, replayed against real components: each one must now fail safely."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peerassist.ingest.pipeline import Ingestor
from peerassist.cli import app as cli
from peerassist.settings import Settings
from peerassist.store import KnowledgeIndex
from tests.api.conftest import build_api, serve
from tests.conftest import VENV_BIN, Postgres, free_port, running_chroma, write_md

runner = CliRunner()


# --- 1. links that leave the folder ---------------------------------------------------------------


def test_a_link_out_of_the_folder_is_refused_and_never_quoted(embedded_settings, kb, tmp_path, model) -> None:  # type: ignore[no-untyped-def]
    secret = write_md(tmp_path / "secrets.md", "Secrets", "The database root password is hunter2.")
    (kb / "notes.md").symlink_to(secret)
    (kb / "archive").mkdir()
    (kb / "inside.md").symlink_to(write_md(kb / "archive" / "old-notes.md", "Old notes", "Kept for reference."))

    report = Ingestor(KnowledgeIndex(embedded_settings), model=model).run([kb])

    assert [(Path(f.path).name, f.error.split(" (")[0]) for f in report.failed] == [
        ("notes.md", "symbolic link points outside the ingested folder")
    ]
    index = KnowledgeIndex(embedded_settings)
    assert all("hunter2" not in text for text in index.generation().collection.get()["documents"])

    allowed = Ingestor(index, model=model, follow_links=True).run([kb])
    assert allowed.added == 1 and not allowed.failed


# --- 2. files that hang or never end ------------------------------------------------------------------


def test_pipes_devices_and_oversized_reads_are_refused_without_hanging(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    write_md(kb / "ok.md", "Ok", "Meetings are on Tuesdays.")
    os.mkfifo(kb / "pipe.md")
    (kb / "zero.md").symlink_to("/dev/zero")
    (kb / "big.txt").write_text("x" * 3000)
    env = os.environ | {"PEERASSIST_DATA_DIR": str(tmp_path / "data"), "PEERASSIST_MAX_FILE_MB": "0.002"}

    result = subprocess.run([str(VENV_BIN / "peerassist"), "ingest", str(kb), "--json", "--follow-links"],
                            capture_output=True, text=True, timeout=180, env=env)

    report = json.loads(result.stdout)
    assert result.returncode == 1 and report["added"] == 1
    assert {Path(f["path"]).name: f["error"] for f in report["failed"]} == {
        "pipe.md": "not a regular file (a named pipe); only regular files are read",
        "zero.md": "not a regular file (a device); only regular files are read",
        "big.txt": "file is over the 0.002 MB cap (PEERASSIST_MAX_FILE_MB)",
    }


def test_a_folder_that_cannot_be_read_is_reported(embedded_settings, kb, model, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    locked = kb / "locked"
    locked.mkdir()
    write_md(locked / "x.md", "X", "Hidden.")
    real_scandir = os.scandir

    def guarded(path):  # type: ignore[no-untyped-def]
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", guarded)  # root ignores chmod 000, so simulate EACCES
    report = Ingestor(KnowledgeIndex(embedded_settings), model=model).run([kb])
    assert [(f.path, f.error) for f in report.failed] == [(str(locked), "cannot read folder: Permission denied")]


# --- 3. the store goes down ------------------------------------------------------------------------


def test_store_down_is_503_with_retry_after_and_uploads_roll_back(tmp_path: Path, kb: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    store = tmp_path / "chroma"
    with running_chroma(store, port) as url:
        settings = Settings(data_dir=tmp_path / "data", chroma_url=url)
        api = build_api(settings, kb)
        question = {"question": "Which room do we meet in?", "client_id": "c"}
        assert api.client.post("/api/ask", json=question, headers=api.headers()).status_code == 200
        doc_id = next(iter(api.client.get("/api/documents", headers=api.headers()).json()))["doc_id"]

    down = {
        "ask": api.client.post("/api/ask", json=question, headers=api.headers()),
        "stream": api.client.post("/api/ask/stream", json=question, headers=api.headers()),
        "document": api.client.get(f"/api/documents/{doc_id}", headers=api.headers()),
        "onboarding": api.client.get("/api/onboarding", headers=api.headers()),
        "upload": api.client.post("/api/documents", files={"files": ("new.md", b"# New\n\nA new page.\n")},
                                  headers=api.headers("facilitator")),
    }
    for name, response in down.items():
        assert response.status_code == 503, (name, response.text)
        assert response.headers["retry-after"] == "10"
        assert response.json()["detail"] == f"the Chroma server at {url} is not reachable; try again when it is back"
    assert sorted(p.name for p in (settings.data_dir / "uploads").iterdir()) == [".uploads.lock"]

    monkeypatch.setenv("PEERASSIST_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("PEERASSIST_CHROMA_URL", url)
    for command in (["ask", "Which room do we meet in?"], ["ingest", str(kb)]):
        result = runner.invoke(cli, command)
        assert result.exit_code == 1 and result.output.strip().splitlines() == [
            f"peerassist: the Chroma server at {url} is not reachable; try again when it is back"
        ]

    with running_chroma(store, port):  # back on the same port: the same app recovers
        assert api.client.post("/api/ask", json=question, headers=api.headers()).json()["answered"]


def test_records_database_down_is_503_and_recovers_without_restart(tmp_path: Path, kb: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    postgres = Postgres()
    postgres.start()
    try:
        settings = Settings(data_dir=tmp_path / "data", database_url=postgres.new_database())
        api = build_api(settings, kb)
        question = {"question": "Which room do we meet in?", "client_id": "c"}
        assert api.client.post("/api/ask", json=question, headers=api.headers()).status_code == 200

        postgres.stop()
        down = api.client.post("/api/ask", json=question, headers=api.headers())
        assert down.status_code == 503 and down.headers["retry-after"] == "10"
        assert down.json()["detail"].startswith("the records database is not reachable (")
        monkeypatch.setenv("PEERASSIST_DATA_DIR", str(settings.data_dir))
        monkeypatch.setenv("PEERASSIST_DATABASE_URL", str(settings.database_url))
        result = runner.invoke(cli, ["ask", "Which room do we meet in?"])
        assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
        assert result.output.startswith("peerassist: the records database is not reachable (")

        postgres.start()
        assert api.client.post("/api/ask", json=question, headers=api.headers()).json()["answered"]
    finally:
        postgres.remove()


# --- 4. bodies read before the key is checked -----------------------------------------------------


def _raw_request(url: str, head: str) -> str:
    """Send only a request's head (claiming a huge body) and read what comes back."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head.encode())
        reply = b""
        while chunk := sock.recv(4096):  # the server closes the connection after refusing
            reply += chunk
        return reply.decode(errors="replace")


def test_huge_bodies_are_refused_before_they_are_read(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    api = build_api(embedded_settings, kb)
    too_big = json.dumps({"question": "x" * 70_000})
    assert api.client.post("/api/ask", content=too_big, headers=api.headers() | {"Content-Type": "application/json"}).status_code == 413
    chunked = api.client.post("/api/ask", content=iter([too_big.encode()[:40_000], too_big.encode()[40_000:]]),
                              headers=api.headers() | {"Content-Type": "application/json"})
    assert chunked.status_code == 413 and "65,536-byte limit" in chunked.json()["detail"]

    with serve(embedded_settings) as url:
        for path, size in (("/api/ask", 200 << 20), ("/api/feedback", 200 << 20), ("/api/documents", 2 << 30)):
            reply = _raw_request(url, f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                      f"Content-Length: {size}\r\n\r\n")
            assert reply.startswith("HTTP/1.1 413"), (path, reply[:200])
        # Within the upload cap, but no key: refused before a byte of the body is read.
        reply = _raw_request(url, "POST /api/documents HTTP/1.1\r\nHost: x\r\n"
                                  f"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {200 << 20}\r\n\r\n")
        assert reply.startswith("HTTP/1.1 401") and "valid API key" in reply


# --- 5. same-name uploads ----------------------------------------------------------------------------


def test_concurrent_same_name_uploads_all_succeed_and_the_index_matches_the_file(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    api = build_api(embedded_settings, kb)
    results: list[int] = []

    def upload(n: int) -> None:
        body = f"# Race\n\nVersion {n} of the race page says the meeting is in room {n}.\n".encode()
        results.append(api.client.post("/api/documents", files={"files": ("race.md", body)},
                                       headers=api.headers("facilitator")).status_code)

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [201] * 6
    uploads = embedded_settings.data_dir / "uploads"
    assert sorted(p.name for p in uploads.iterdir()) == [".uploads.lock", "race.md"]
    on_disk = (uploads / "race.md").read_text()
    race = [d for d in api.client.get("/api/documents", headers=api.headers()).json() if d["title"] == "Race"]
    passages = api.client.get(f"/api/documents/{race[0]['doc_id']}", headers=api.headers()).json()["passages"]
    assert on_disk.split("\n\n", 1)[1].strip() in " ".join(p["text"] for p in passages)

    twice = api.client.post("/api/documents", files=[("files", ("dup.md", b"# A\n\nA.")), ("files", ("dup.md", b"# B\n\nB."))],
                            headers=api.headers("facilitator"))
    assert twice.status_code == 422 and twice.json() == {"detail": "'dup.md' is given twice in one upload; send one file per name"}
    assert sorted(p.name for p in uploads.iterdir()) == [".uploads.lock", "race.md"]


# --- 6. conversations belong to whoever started them -------------------------------------------------


def test_a_foreign_conversation_id_starts_a_new_conversation(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    api = build_api(embedded_settings, kb)
    first = api.client.post("/api/ask", json={"question": "Where do newcomers meet the facilitators?", "client_id": "alice"},
                            headers=api.headers()).json()
    own = api.client.post("/api/ask", json={"question": "When?", "client_id": "alice",
                                            "conversation_id": first["conversation_id"]}, headers=api.headers()).json()
    assert own["conversation_id"] == first["conversation_id"] and own["standalone_question"] != "When?"

    for headers, client in ((api.headers(), "mallory"), (api.headers("facilitator"), "alice")):
        other = api.client.post("/api/ask", json={"question": "When?", "client_id": client,
                                                  "conversation_id": first["conversation_id"]}, headers=headers).json()
        assert other["standalone_question"] == "When?"
        assert other["conversation_id"] != first["conversation_id"]


# --- 7. bad file names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "problem"), [
    ("a" * 300 + ".md", "file name is 303 bytes long; the limit is 200"),
    ("bad\x00name.md", "contains control characters"),
    (".hidden.md", "must not be empty or start with '.'"),
])
def test_bad_upload_names_are_422(embedded_settings, kb, name: str, problem: str) -> None:  # type: ignore[no-untyped-def]
    api = build_api(embedded_settings, kb)
    # Written by hand: an HTTP client would escape the NUL; an attacker's does not.
    body = (f'--b\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            "Content-Type: text/markdown\r\n\r\n# T\n\nText.\r\n--b--\r\n").encode()
    response = api.client.post("/api/documents", content=body,
                               headers=api.headers("facilitator") | {"Content-Type": "multipart/form-data; boundary=b"})
    assert response.status_code == 422 and problem in response.json()["detail"]
    assert not (embedded_settings.data_dir / "uploads").exists() or not [
        p for p in (embedded_settings.data_dir / "uploads").iterdir() if p.name != ".uploads.lock"
    ]


# --- keys: a revoked key is refused at once ------------------------------------------------------------


def test_a_revoked_key_is_refused_on_the_next_request(embedded_settings, kb, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    api = build_api(embedded_settings, kb)
    question = {"question": "Which room do we meet in?"}
    assert api.client.post("/api/ask", json=question, headers=api.headers()).status_code == 200
    monkeypatch.setenv("PEERASSIST_DATA_DIR", str(embedded_settings.data_dir))
    listed = json.loads(runner.invoke(cli, ["keys", "list", "--json"]).output)
    used = [k for k in listed if k["last_used"]]
    assert len(used) == 1 and used[0]["role"] == "member" and "key_hash" not in used[0]
    assert all(api.keys["member"] not in json.dumps(k) for k in listed)

    assert runner.invoke(cli, ["keys", "revoke", used[0]["id"]]).exit_code == 0
    refused = api.client.post("/api/ask", json=question, headers=api.headers())
    assert refused.status_code == 401 and refused.json() == {"detail": "unknown or revoked API key"}


# --- 8. smaller ones ------------------------------------------------------------------------------------


def test_rate_limited_callers_are_told_when_to_retry(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    api = build_api(embedded_settings.model_copy(update={"rate_limit": "2/minute"}), kb)
    codes = [api.client.post("/api/ask", json={"question": "Which room?"}, headers=api.headers()) for _ in range(3)]
    assert [r.status_code for r in codes] == [200, 200, 429]
    assert 1 <= int(codes[2].headers["retry-after"]) <= 60


def test_an_origin_bound_key_without_an_origin_is_refused(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    api = build_api(embedded_settings, kb)
    response = api.client.post("/api/ask", json={"question": "Which room?"}, headers={"Authorization": f"Bearer {api.keys['widget']}"})
    assert response.status_code == 403 and "no Origin header" in response.json()["detail"]


def test_an_unknown_audience_fails_closed_and_is_reported(embedded_settings, kb, model) -> None:  # type: ignore[no-untyped-def]
    write_md(kb / "pay-scales.md", "Pay scales", "The locum rate for the pilot is 95 euro an hour.", audience=["facilitator-only"])
    report = Ingestor(KnowledgeIndex(embedded_settings), model=model).run([kb])
    assert [(Path(w.path).name, w.error.split(":")[0]) for w in report.warnings] == [("pay-scales.md", "unknown audience 'facilitator-only'")]
    api = build_api(embedded_settings, kb)
    titles = {d["title"] for d in api.client.get("/api/documents", headers=api.headers()).json()}
    assert "Pay scales" not in titles
    assert "Pay scales" in {d["title"] for d in api.client.get("/api/documents", headers=api.headers("facilitator")).json()}


def test_control_characters_never_reach_the_log(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    api = build_api(embedded_settings, kb)
    answer = api.client.post("/api/ask", json={"question": "Which\x00 room\x1b[31m do we meet in?", "client_id": "c"},
                             headers=api.headers()).json()
    assert answer["standalone_question"] == "Which room [31m do we meet in?"
    vote = api.client.post("/api/feedback", json={"query_id": answer["query_id"], "helpful": False, "client_id": "c",
                                                  "comment": "wrong\x00room\r\nreally"}, headers=api.headers())
    assert vote.json()["comment"] == "wrong room really"


def test_members_see_paths_relative_to_the_ingested_folder(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    api = build_api(embedded_settings, kb)
    answer = api.client.post("/api/ask", json={"question": "Which room do we meet in?"}, headers=api.headers()).json()
    documents = api.client.get("/api/documents", headers=api.headers()).json()
    shown = [c["source"] for c in answer["citations"]] + [r["source"] for r in answer["retrieved"]] + [d["source"] for d in documents]
    assert shown and not [s for s in shown if s.startswith("/") or str(kb) in s]
    assert "charter.md" in shown


# --- the registry is never taken for empty ----------------------------------------------------------------


def test_a_lost_records_database_stops_ingest_instead_of_emptying_the_index(settings, kb, model, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert not Ingestor(KnowledgeIndex(settings), model=model).run([kb]).failed
    stored = KnowledgeIndex(settings).generation().collection.count()
    database = Path(settings.sqlalchemy_url.removeprefix("sqlite:///"))
    for path in (database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")):
        path.unlink(missing_ok=True)  # what a facilitator did to get past a failed upgrade

    with pytest.raises(Exception, match="no document registry, but Chroma holds"):
        Ingestor(KnowledgeIndex(settings), model=model).run([kb], sync=True)
    assert KnowledgeIndex(settings).client.get_collection(settings.collection).count() == stored
    from fastapi.testclient import TestClient

    from peerassist.api.app import create_app
    from peerassist.keys import create_key

    app = create_app(settings)
    token = create_key(app.state.service.index.db, "facilitator")[1]
    upload = TestClient(app).post("/api/documents", files={"files": ("new.md", b"# New\n\nA new page.\n")},
                                  headers={"Authorization": f"Bearer {token}"})
    assert upload.status_code == 503 and "no document registry, but Chroma holds" in upload.json()["detail"]
    assert KnowledgeIndex(settings).client.get_collection(settings.collection).count() == stored

    monkeypatch.setenv("PEERASSIST_DATA_DIR", str(settings.data_dir))
    if settings.chroma_url:
        monkeypatch.setenv("PEERASSIST_CHROMA_URL", settings.chroma_url)
        monkeypatch.setenv("PEERASSIST_COLLECTION", settings.collection)
    result = runner.invoke(cli, ["ingest", str(kb)])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "Nothing was changed" in result.output

    rebuilt = Ingestor(KnowledgeIndex(settings), model=model).run([kb], rebuild=True)
    assert rebuilt.added and not rebuilt.failed


def test_a_file_that_parses_for_too_long_is_skipped_and_the_rest_ingested(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    write_md(kb / "ok.md", "Ok", "Meetings are on Tuesdays in Room 4B.")
    lines = [f"Line {n} of a long log, where the ward nurse reviewed alert {n} and noted the score." for n in range(12_000)]
    (kb / "huge-log.txt").write_text("\n\n".join(lines))  # ~1 MB of paragraphs: tens of seconds to classify
    _docx_of_empty_paragraphs(kb / "empty-paragraphs.docx", 2_000_000)  # ~60 KB: minutes to partition
    env = os.environ | {"PEERASSIST_DATA_DIR": str(tmp_path / "data"), "PEERASSIST_PARSE_TIMEOUT_S": "3"}

    result = subprocess.run([str(VENV_BIN / "peerassist"), "ingest", str(kb), "--json"],
                            capture_output=True, text=True, timeout=300, env=env)

    report = json.loads(result.stdout)
    too_long = "parsing took longer than 3 s (PEERASSIST_PARSE_TIMEOUT_S); file skipped"
    assert report["added"] == 1 and report["failed"] == [
        {"path": str(kb / "empty-paragraphs.docx"), "error": too_long},
        {"path": str(kb / "huge-log.txt"), "error": too_long},
    ]


def _docx_of_empty_paragraphs(path: Path, count: int) -> None:
    """A valid DOCX whose body is `count` empty paragraphs (it compresses to almost nothing)."""
    import zipfile

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>',
        "word/document.xml": f'<?xml version="1.0"?><w:document {ns}><w:body>{"<w:p/>" * count}</w:body></w:document>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
