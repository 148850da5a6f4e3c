"""The reader's saved lexical index: BM25, each line's sentences and their entities, built once per version."""

from __future__ import annotations

import json
import shutil

from peerassist import sentences
from peerassist.retriever import answer_type
from peerassist.retriever.lexical import ANNOTATIONS_FILE, LexicalIndex
from peerassist.retriever.service import AnswerService
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
