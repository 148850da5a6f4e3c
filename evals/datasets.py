"""Public QA datasets as documents plus questions, ready to ingest through the normal path."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SHARED_DATASETS = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"
GOLDEN_SET = Path(__file__).resolve().parent / "golden" / "sample-kb.yaml"
SQUAD_DEV_HALF = SHARED_DATASETS / "squad2-dev-half" / "dev-v2.0.json"
HOTPOT_SAMPLE = SHARED_DATASETS / "hotpotqa-dev-distractor-100" / "hotpot_dev_distractor_100.json"


@dataclass
class EvalDocument:
    key: str
    title: str
    text: str


@dataclass
class EvalQuestion:
    id: str
    question: str
    answers: list[str]
    gold_docs: set[str]
    answerable: bool
    group: int = 0  # the article/topic it belongs to, for splits that keep topics apart
    supporting: list[str] = field(default_factory=list)  # gold evidence sentences, where known
    role: str = "admin"  # who asks: public sets see everything, the golden set asks as a member
    conversation: list[str] = field(default_factory=list)  # earlier turns, oldest first
    needs_all: bool = False  # the answer needs every gold document, not any one
    # Member-style questions (golden set): the kind of question, and the facts a complete answer
    # holds, each fact as its alternative wordings.
    kind: str | None = None
    facts: list[list[str]] = field(default_factory=list)


@dataclass
class EvalDataset:
    name: str
    documents: list[EvalDocument]
    questions: list[EvalQuestion]
    corpus_dir: Path | None = None  # documents already on disk (the golden set's knowledge base)
    has_answers: bool = True  # False for retrieval-only sets (BEIR)

    def write(self, directory: Path) -> dict[Path, str]:
        """The files to ingest and their document keys: the corpus as it is, or one Markdown file per document."""
        if self.corpus_dir is not None:
            return {
                path: path.relative_to(self.corpus_dir).as_posix()
                for path in sorted(self.corpus_dir.rglob("*"))
                if path.is_file()
            }
        directory.mkdir(parents=True, exist_ok=True)
        paths = {}
        for doc in self.documents:
            path = directory / f"{doc.key}.md"
            content = f"---\ntitle: {json.dumps(doc.title)}\n---\n{doc.text}\n"
            if not path.exists() or path.read_text(encoding="utf-8") != content:
                path.write_text(content, encoding="utf-8")
            paths[path] = doc.key
        return paths


def load_squad(path: Path = SQUAD_DEV_HALF) -> EvalDataset:
    """SQuAD 2.0: each paragraph is a document; unanswerable questions have `is_impossible`."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    documents, questions = [], []
    for a, article in enumerate(data):
        for p, paragraph in enumerate(article["paragraphs"]):
            key = f"a{a:03d}-p{p:03d}"
            documents.append(EvalDocument(key, article["title"].replace("_", " "), paragraph["context"]))
            for qa in paragraph["qas"]:
                impossible = bool(qa.get("is_impossible"))
                questions.append(
                    EvalQuestion(
                        id=qa["id"],
                        question=qa["question"],
                        answers=[] if impossible else sorted({x["text"] for x in qa["answers"]}),
                        gold_docs=set() if impossible else {key},
                        answerable=not impossible,
                        group=a,
                    )
                )
    return EvalDataset("squad", documents, questions)


def load_hotpot(path: Path = HOTPOT_SAMPLE) -> EvalDataset:
    """HotpotQA (distractor): every context paragraph is a document, keyed by its title."""
    data = json.loads(path.read_text(encoding="utf-8"))
    keys: dict[str, str] = {}
    documents, questions = [], []
    for i, item in enumerate(data):
        context = _pairs(item["context"], "title", "sentences")
        sentences_of = dict(context)
        facts = _pairs(item["supporting_facts"], "title", "sent_id")
        for title, sentences in context:
            if title not in keys:
                keys[title] = f"h{len(keys):05d}"
                documents.append(EvalDocument(keys[title], title, " ".join(s.strip() for s in sentences)))
        support = [
            sentences_of[title][n].strip()
            for title, n in facts
            if title in sentences_of and n < len(sentences_of[title])
        ]
        questions.append(
            EvalQuestion(
                id=item.get("_id", str(i)),
                question=item["question"],
                answers=[item["answer"]],
                gold_docs={keys[title] for title, _ in facts if title in keys},
                answerable=True,
                group=i,
                supporting=support,
            )
        )
    return EvalDataset("hotpot", documents, questions)


def load_golden(path: Path = GOLDEN_SET) -> EvalDataset:
    """The project's reviewed question set over a knowledge base on disk (see evals/golden/)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    corpus = (path.parent / data["corpus"]) if not Path(data["corpus"]).is_absolute() else Path(data["corpus"])
    if not corpus.is_dir():
        corpus = Path(__file__).resolve().parents[1] / data["corpus"]
    questions = [
        EvalQuestion(
            id=item["id"],
            question=item["question"],
            answers=[str(a) for a in item.get("answers", [])],
            gold_docs=set(item.get("sources", [])),
            answerable=bool(item.get("answerable", item.get("kind") != "unanswerable")),
            group=i,
            role=item.get("role", "member"),
            conversation=list(item.get("conversation", [])),
            needs_all=bool(item.get("needs_all_sources", False)),
            kind=item.get("kind"),
            facts=[[str(f)] if isinstance(f, str) else [str(a) for a in f] for f in item.get("facts", [])],
        )
        for i, item in enumerate(data["questions"])
    ]
    return EvalDataset(data.get("name", "golden"), [], questions, corpus_dir=corpus.resolve())


def load_beir(path: Path) -> EvalDataset:
    """BEIR: corpus.jsonl, queries.jsonl and qrels/test.tsv; retrieval only."""
    documents = [
        EvalDocument(_safe_key(row["_id"]), row.get("title") or str(row["_id"]), row["text"])
        for row in _jsonl(path / "corpus.jsonl")
    ]
    queries = {str(row["_id"]): row["text"] for row in _jsonl(path / "queries.jsonl")}
    gold: dict[str, set[str]] = {}
    for line in (path / "qrels" / "test.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        query_id, corpus_id, score = line.split("\t")[:3]
        if float(score) > 0:
            gold.setdefault(query_id, set()).add(_safe_key(corpus_id))
    questions = [
        EvalQuestion(id=qid, question=queries[qid], answers=[], gold_docs=docs, answerable=True, group=i)
        for i, (qid, docs) in enumerate(sorted(gold.items()))
        if qid in queries
    ]
    return EvalDataset(f"beir-{path.name}", documents, questions, has_answers=False)


class DatasetSpecError(ValueError):
    pass


def load_dataset(spec: str) -> EvalDataset:
    """`golden`, `golden:PATH`, `squad:PATH`, `beir:PATH` or `hotpot:PATH`."""
    kind, _, location = spec.partition(":")
    loaders = {"golden": load_golden, "squad": load_squad, "beir": load_beir, "hotpot": load_hotpot}
    if kind not in loaders:
        raise DatasetSpecError(f"unknown dataset {spec!r}; expected golden, squad:PATH, beir:PATH or hotpot:PATH")
    if not location:
        if kind != "golden":
            raise DatasetSpecError(f"dataset {kind!r} needs a path: {kind}:PATH")
        return load_golden()
    path = Path(location)
    if not path.exists():
        raise DatasetSpecError(f"dataset path {location!r} does not exist")
    try:
        return loaders[kind](path)
    except (KeyError, ValueError, TypeError, json.JSONDecodeError, yaml.YAMLError) as exc:
        raise DatasetSpecError(f"{location} is not a valid {kind} dataset: {exc}") from exc


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _safe_key(value: object) -> str:
    """A corpus id usable as a file name."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in str(value))


def _pairs(value: list | dict, first: str, second: str) -> list[tuple]:  # type: ignore[type-arg]
    """HotpotQA ships as [[a, b], ...] (original) or {first: [...], second: [...]} (Hugging Face)."""
    if isinstance(value, dict):
        return list(zip(value[first], value[second], strict=True))
    return [tuple(pair) for pair in value]
