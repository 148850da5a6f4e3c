"""The reader's saved lexical index: BM25, each line's sentences and their entities, built once per version."""

from __future__ import annotations

import json
import shutil

import numpy as np

from peerassist import sentences
from peerassist.retriever import answer_type
from peerassist.retriever.lexical import ANNOTATIONS_FILE, LexicalIndex
from peerassist.retriever.service import AnswerService
from tests.conftest import write_md
from tests.retriever.conftest import ingest


def test_a_saved_index_holds_every_chunk_lines_sentences_and_answers_without_resplitting(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    ingest(embedded_settings, kb)
    service = AnswerService(embedded_settings)
    snapshot = service.view.current()
    directory = service.view._cache_dir(snapshot)
    service.view.warm()
    annotations = json.loads((directory / ANNOTATIONS_FILE).read_text())
    splits = annotations["sentences"]
    assert splits["We meet on the second Tuesday of each month in Room 4B."] == [
        "We meet on the second Tuesday of each month in Room 4B."
    ]
    assert all(line in splits for chunk in snapshot.lexical.chunks for line in sentences.passage_lines(chunk.text))
    entities = annotations["entities"]
    assert entities["We meet on the second Tuesday of each month in Room 4B."] == [["the second Tuesday of each month", "DATE"]]
    quotable = {s for line_sentences in splits.values() for s in line_sentences} | set(annotations["vector_texts"])
    assert set(entities) == quotable

    sentences._known_splits.clear()
    answer_type._known_entities.clear()
    LexicalIndex.load(directory, snapshot.generation.model)  # what a new process does
    assert "We meet on the second Tuesday of each month in Room 4B." in sentences._known_splits
    assert answer_type.entities("We meet on the second Tuesday of each month in Room 4B.") == (
        ("the second Tuesday of each month", "DATE"),
    )
    assert "Room 4B" in service.ask("When do we meet?").answer


def test_a_question_about_saved_passages_embeds_only_itself(embedded_settings, kb, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ingest(embedded_settings, kb)
    service = AnswerService(embedded_settings)
    lexical = service.view.warm()
    texts = lexical.annotations["vector_texts"]
    assert {"Meetings", "We meet on the second Tuesday of each month in Room 4B."} <= set(texts)
    assert lexical.vectors.shape == (len(texts), 384)

    model = service.view.current().generation.model
    embedded: list[list[str]] = []
    original = model.embed
    monkeypatch.setattr(model, "embed", lambda batch: embedded.append(list(batch)) or original(batch))
    assert "Room 4B" in AnswerService(embedded_settings).ask("When do we meet?").answer
    assert embedded == [["When do we meet?"]]


def test_an_index_saved_without_sentences_is_rebuilt_not_trusted(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    ingest(embedded_settings, kb)
    service = AnswerService(embedded_settings)
    service.view.warm()
    directory = service.view._cache_dir(service.view.current())
    (directory / ANNOTATIONS_FILE).unlink()  # as an older release saved it
    fresh = AnswerService(embedded_settings)
    assert fresh.view.warm().annotations["sentences"] and (directory / ANNOTATIONS_FILE).is_file()
    shutil.rmtree(directory)
    assert AnswerService(embedded_settings).ask("When do we meet?").answered


def _embedded_texts(service: AnswerService, monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """Every text the service's model embeds from now on."""
    model = service.view.current().generation.model
    embedded: list[str] = []
    original = model.embed
    monkeypatch.setattr(model, "embed", lambda batch: embedded.extend(batch) or original(batch))
    return embedded


def _annotations_without_reuse(service: AnswerService) -> LexicalIndex:
    snapshot = service.view.current()
    return LexicalIndex.build(snapshot.lexical.chunks, snapshot.generation.model)


def test_a_new_version_annotates_only_what_is_new_in_the_process_that_served_the_last(embedded_settings, kb, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ingest(embedded_settings, kb)
    service = AnswerService(embedded_settings)
    before = service.view.warm()
    write_md(kb / "parking.md", "Parking", "## Permits\n\nStaff permits for the car park are issued by Facilities.")
    ingest(embedded_settings, kb)
    shutil.rmtree(service.view._cache_dir(service.view._snapshot))  # only this process still holds it
    embedded = _embedded_texts(service, monkeypatch)
    after = service.view.warm()

    assert after is not before and len(after.chunks) == len(before.chunks) + 1
    assert "Staff permits for the car park are issued by Facilities." in embedded
    assert not set(embedded) & set(before.annotations["vector_texts"])
    # Reused annotations are the ones a build from scratch finds.
    fresh = _annotations_without_reuse(service)
    assert after.annotations == fresh.annotations
    assert np.allclose(after.vectors, fresh.vectors, atol=1e-5)


def test_a_new_process_reuses_the_saved_annotations_of_the_last_version(embedded_settings, kb, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ingest(embedded_settings, kb)
    AnswerService(embedded_settings).view.warm()  # as `peerassist ingest` leaves it
    write_md(kb / "faq.md", "FAQ", "## How do I join?\n\nEmail the facilitators and attend one meeting.\n\n"
             "## Who runs it?\n\nHannah Byrne chairs the community.")
    ingest(embedded_settings, kb)
    service = AnswerService(embedded_settings)  # a new process: nothing in memory
    embedded = _embedded_texts(service, monkeypatch)
    lexical = service.view.warm()

    assert "Hannah Byrne chairs the community." in embedded
    assert "We meet on the second Tuesday of each month in Room 4B." not in embedded
    assert lexical.annotations["entities"]["Hannah Byrne chairs the community."] == [["Hannah Byrne", "PERSON"]]
    assert lexical.annotations == _annotations_without_reuse(service).annotations
    assert "Hannah Byrne" in service.ask("Who runs the community?").answer
