"""Retrieval conformance: every backend (embedded Chroma, `chroma run` server) only supplies `settings`."""

from __future__ import annotations

import os
import subprocess

import pytest

from peerassist.retriever.filters import SearchFilter
from peerassist.retriever.service import AnswerService, AskOptions
from tests.conftest import VENV_BIN, write_md
from tests.retriever.conftest import ingest

RETRIEVERS = ["bm25", "dense", "hybrid"]


def titles(service: AnswerService, question: str, **options) -> list[str]:  # type: ignore[no-untyped-def]
    hits = service.search(question, AskOptions(**options))
    return [h.metadata["title"] for h in hits]


@pytest.mark.parametrize("retriever", RETRIEVERS)
def test_each_retriever_finds_the_passage(settings, kb, retriever) -> None:  # type: ignore[no-untyped-def]
    ingest(settings, kb)
    service = AnswerService(settings, log_queries=False)
    assert titles(service, "Which room do we meet in on Tuesdays?", retriever=retriever)[0] == "Charter"


@pytest.mark.parametrize("retriever", RETRIEVERS)
def test_audience_and_filters_respected(settings, kb, retriever) -> None:  # type: ignore[no-untyped-def]
    ingest(settings, kb)
    service = AnswerService(settings, log_queries=False)
    question = "What is the training budget for 2026?"
    assert "Budget 2026" not in titles(service, question, retriever=retriever)
    assert titles(service, question, retriever=retriever, filter=SearchFilter(role="facilitator"))[0] == "Budget 2026"
    assert set(titles(service, question, retriever=retriever, filter=SearchFilter(role="admin", tags=("internal",)))) == {
        "Budget 2026"
    }
    assert set(titles(service, "meeting room", retriever=retriever, filter=SearchFilter(source="faq.md"))) <= {"FAQ"}


def test_lexical_index_follows_updates_and_deletes(settings, kb) -> None:  # type: ignore[no-untyped-def]
    ingest(settings, kb)
    service = AnswerService(settings, log_queries=False)  # long-lived, like the API server
    bm25 = {"retriever": "bm25"}
    assert titles(service, "zebrafish", **bm25) == []

    write_md(kb / "faq.md", "FAQ", "## Lab\n\nOur zebrafish study group meets on Fridays.")
    ingest(settings, kb)
    assert titles(service, "zebrafish", **bm25) == ["FAQ"]
    assert titles(service, "Email the facilitators", **bm25).count("FAQ") == 0  # the old text is gone

    (kb / "faq.md").unlink()
    ingest(settings, kb)
    assert titles(service, "zebrafish", **bm25) == []


def test_dense_retriever_serves_only_live_chunks(settings, kb) -> None:  # type: ignore[no-untyped-def]
    """Chroma is asked for ids only and the text comes from the snapshot's live chunks: an edited document's
    old text and a deleted document never come back, on either store backend."""
    ingest(settings, kb)
    service = AnswerService(settings, log_queries=False)
    dense = {"retriever": "dense", "k": 10}
    write_md(kb / "faq.md", "FAQ", "## Lab\n\nOur zebrafish study group meets on Fridays.")
    ingest(settings, kb)
    hits = service.search("How do I join? Email the facilitators", AskOptions(**dense))
    assert "zebrafish" in " ".join(h.text for h in hits)
    assert not any("Email the facilitators" in h.text for h in hits)
    (kb / "faq.md").unlink()
    ingest(settings, kb)
    assert "FAQ" not in titles(service, "zebrafish study group", **dense)


def test_lexical_index_follows_an_ingest_by_another_process(settings, kb) -> None:  # type: ignore[no-untyped-def]
    ingest(settings, kb)
    service = AnswerService(settings, log_queries=False)
    assert titles(service, "okapi", retriever="bm25") == []

    write_md(kb / "animals.md", "Animals", "## Okapi\n\nThe okapi is the mascot of the imaging team.")
    env = os.environ | {"PEERASSIST_DATA_DIR": str(settings.data_dir), "PEERASSIST_COLLECTION": settings.collection}
    if settings.chroma_url:
        env["PEERASSIST_CHROMA_URL"] = settings.chroma_url
    done = subprocess.run([str(VENV_BIN / "peerassist"), "ingest", str(kb)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr

    assert titles(service, "okapi", retriever="bm25") == ["Animals"]
    assert titles(service, "okapi mascot", retriever="hybrid")[0] == "Animals"


def test_near_duplicate_passages_are_collapsed(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    text = "## Escalation\n\nIf an AI tool gives an unsafe output, stop using it and report it on the incident system."
    write_md(kb / "copy-a.md", "Safety A", text)
    write_md(kb / "copy-b.md", "Safety B", text)
    ingest(embedded_settings, kb)
    service = AnswerService(embedded_settings, log_queries=False)
    found = titles(service, "What do I do after an unsafe AI output?", retriever="hybrid", k=10)
    assert len({"Safety A", "Safety B"} & set(found)) == 1
