"""Each dataset adapter on a small sample in its own format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peerassist.evals.datasets import DatasetSpecError, load_dataset


def test_squad_format(tmp_path: Path) -> None:
    path = tmp_path / "squad.json"
    path.write_text(json.dumps({"data": [{"title": "Tea_Room", "paragraphs": [{"context": "Tea is served at four.", "qas": [
        {"id": "q1", "question": "When is tea?", "is_impossible": False, "answers": [{"text": "four", "answer_start": 17}]},
        {"id": "q2", "question": "When is coffee?", "is_impossible": True, "answers": []},
    ]}]}]}))
    data = load_dataset(f"squad:{path}")
    [doc] = data.documents
    assert doc.title == "Tea Room" and doc.text == "Tea is served at four."
    q1, q2 = data.questions
    assert q1.answerable and q1.answers == ["four"] and q1.gold_docs == {doc.key}
    assert not q2.answerable and q2.gold_docs == set()


def test_beir_format(tmp_path: Path) -> None:
    (tmp_path / "qrels").mkdir()
    (tmp_path / "corpus.jsonl").write_text(
        '{"_id": "d/1", "title": "One", "text": "alpha"}\n{"_id": "d2", "title": "", "text": "beta"}\n'
    )
    (tmp_path / "queries.jsonl").write_text('{"_id": "q1", "text": "alpha?"}\n{"_id": "q9", "text": "unjudged"}\n')
    (tmp_path / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td/1\t1\nq1\td2\t0\n")
    data = load_dataset(f"beir:{tmp_path}")
    assert not data.has_answers
    assert [d.title for d in data.documents] == ["One", "d2"]
    [question] = data.questions
    assert question.question == "alpha?" and question.gold_docs == {data.documents[0].key}


@pytest.mark.parametrize("huggingface_layout", [False, True])
def test_hotpot_format(tmp_path: Path, huggingface_layout: bool) -> None:
    context = [["Ann", ["Ann is a painter.", " She lives in Cork."]], ["Bob", ["Bob sings."]]]
    facts = [["Ann", 1]]
    if huggingface_layout:
        context = {"title": ["Ann", "Bob"], "sentences": [["Ann is a painter.", " She lives in Cork."], ["Bob sings."]]}
        facts = {"title": ["Ann"], "sent_id": [1]}
    path = tmp_path / "hotpot.json"
    path.write_text(json.dumps([{"_id": "h1", "question": "Where does Ann live?", "answer": "Cork",
                                 "context": context, "supporting_facts": facts}]))
    data = load_dataset(f"hotpot:{path}")
    assert [d.title for d in data.documents] == ["Ann", "Bob"]
    [q] = data.questions
    assert q.supporting == ["She lives in Cork."] and q.answers == ["Cork"] and q.gold_docs == {data.documents[0].key}


def test_golden_format(tmp_path: Path) -> None:
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "a.md").write_text("# A\n\nText.\n")
    (tmp_path / "g.yaml").write_text(
        "name: mini\ncorpus: kb\nquestions:\n"
        '  - {id: a, question: "What?", answers: [Text], sources: [a.md], role: facilitator}\n'
        '  - {id: b, question: "And it?", conversation: ["What?"], answers: [Text], sources: [a.md]}\n'
        '  - {id: c, question: "Nope?", answerable: false}\n'
    )
    data = load_dataset(f"golden:{tmp_path / 'g.yaml'}")
    assert data.corpus_dir == (tmp_path / "kb").resolve()
    a, b, c = data.questions
    assert a.role == "facilitator" and b.role == "member" and b.conversation == ["What?"]
    assert not c.answerable
    assert list(data.write(tmp_path / "unused").values()) == ["a.md"]


def test_the_committed_golden_set_is_complete() -> None:
    data = load_dataset("golden")
    questions = data.questions
    assert len(questions) >= 60
    assert sum(not q.answerable for q in questions) >= 15
    assert sum(bool(q.conversation) for q in questions) >= 10
    assert sum(q.needs_all for q in questions) >= 1
    corpus = {p.relative_to(data.corpus_dir).as_posix() for p in data.corpus_dir.rglob("*") if p.is_file()}
    assert all(q.gold_docs <= corpus for q in questions)


@pytest.mark.parametrize(
    ("spec", "message"),
    [("trivia", "unknown dataset"), ("squad", "needs a path"), ("squad:/no/such/file", "does not exist")],
)
def test_bad_specs_are_named(spec: str, message: str) -> None:
    with pytest.raises(DatasetSpecError, match=message):
        load_dataset(spec)


def test_a_file_in_the_wrong_format_is_named(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text('{"not": "squad"}')
    with pytest.raises(DatasetSpecError, match="not a valid squad dataset"):
        load_dataset(f"squad:{tmp_path / 'x.json'}")
