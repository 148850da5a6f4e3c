"""Bad files are reported one by one, the rest of the batch is ingested, nothing stored is lost."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from peerassist.ingest.pipeline import Ingestor, doc_id_for
from peerassist.store import KnowledgeIndex
from tests.conftest import write_md

BAD_FILES: dict[str, tuple[bytes, str]] = {
    "empty.md": (b"", "empty file"),
    "blank.txt": (b"  \n\n ", "empty file"),
    "picture.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary content in a .md file"),
    "fake.pdf": (b"this is plain text, not a PDF", "not a real PDF file"),
    "broken.pdf": (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", "PDF"),
    "broken.docx": (b"PK\x03\x04 this zip is cut short", "could not parse DOCX"),
    "broken.pptx": (b"PK\x03\x04 truncated", "could not parse PPTX"),
    "only-front-matter.md": (b"---\ntitle: Nothing\n---\n", "no text found"),
    "bad-front-matter.md": (b"---\ntitle: [unclosed\n---\n# Hi\n\nText.\n", "malformed YAML"),
    "unclosed-front-matter.md": (b"---\ntitle: x\n# Hi\n", "not closed"),
    "bad-tags.md": (b"---\ntags: {a: 1}\n---\n# Hi\n\nText.\n", "invalid metadata for bad-tags.md: tags"),
    "archive.zip": (b"PK\x03\x04", "unsupported file type '.zip'"),
    "notes.rtf": (b"{\\rtf1 hello}", "unsupported file type '.rtf'"),
    "one-row.csv": (b"name,role\n", "header row and at least one data row"),
}


@pytest.fixture
def messy_kb(kb: Path) -> Path:
    for name, (content, _) in BAD_FILES.items():
        (kb / name).write_bytes(content)
    (kb / "dangling.md").symlink_to(kb / "does-not-exist.md")
    (kb / "sidecar-broken.txt").write_text("A fine text file with a broken sidecar.\n")
    (kb / "sidecar-broken.txt.meta.yaml").write_text("title: x\n  bad: indentation: here\n")
    return kb


def test_each_bad_file_is_reported_with_its_reason_and_the_rest_ingested(embedded_settings, messy_kb, model):  # type: ignore[no-untyped-def]
    report = Ingestor(KnowledgeIndex(embedded_settings), model=model).run([messy_kb])

    reasons = {Path(f.path).name: f.error for f in report.failed}
    for name, (_, expected) in BAD_FILES.items():
        assert expected in reasons.pop(name), name
    assert "broken symbolic link" in reasons.pop("dangling.md")
    assert "malformed YAML" in reasons.pop("sidecar-broken.txt")
    assert reasons == {}
    assert report.added == 4  # charter, glossary, faq, private/budget


def test_sidecar_yaml_error_names_the_file_and_line(embedded_settings, messy_kb, model):  # type: ignore[no-untyped-def]
    report = Ingestor(KnowledgeIndex(embedded_settings), model=model).run([messy_kb / "sidecar-broken.txt"])
    [failure] = report.failed
    assert "sidecar-broken.txt.meta.yaml" in failure.error
    assert "line 2" in failure.error


def test_oversized_file_is_refused_with_the_cap_named(embedded_settings, kb, model):  # type: ignore[no-untyped-def]
    settings = embedded_settings.model_copy(update={"max_file_mb": 0.001})
    (kb / "big.txt").write_text("A long line of text. " * 100)

    report = Ingestor(KnowledgeIndex(settings), model=model).run([kb])

    [failure] = report.failed
    assert failure.path == str(kb / "big.txt")
    assert "over the 0.001 MB cap" in failure.error and "PEERASSIST_MAX_FILE_MB" in failure.error
    assert report.added == 4


def test_a_file_that_turns_bad_keeps_its_last_good_version(embedded_settings, kb, model):  # type: ignore[no-untyped-def]
    Ingestor(KnowledgeIndex(embedded_settings), model=model).run([kb])
    generation = KnowledgeIndex(embedded_settings).generation()
    before = generation.collection.get(where={"doc_id": doc_id_for(kb / "faq.md")})
    (kb / "faq.md").write_bytes(b"---\ntitle: [oops\n---\n# FAQ\n")
    (kb / "charter.md").write_bytes(b"")

    report = Ingestor(KnowledgeIndex(embedded_settings), model=model).run([kb], sync=True)

    assert sorted(Path(f.path).name for f in report.failed) == ["charter.md", "faq.md"]
    after = generation.collection.get(where={"doc_id": doc_id_for(kb / "faq.md")})
    assert after["ids"] == before["ids"] and after["documents"] == before["documents"]
    assert doc_id_for(kb / "charter.md") in generation.documents()
    assert report.deleted == 0


def test_unreadable_file_is_reported(embedded_settings, kb, model, monkeypatch):  # type: ignore[no-untyped-def]
    target = write_md(kb / "locked.md", "Locked", "Secret.")
    real_open = os.open

    def guarded_open(path, flags, *args):  # type: ignore[no-untyped-def]
        if Path(path) == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", guarded_open)  # root ignores chmod 000, so simulate EACCES

    report = Ingestor(KnowledgeIndex(embedded_settings), model=model).run([kb])

    assert [(f.path, f.error) for f in report.failed] == [(str(target), "cannot read: permission denied")]
    assert report.added == 4
