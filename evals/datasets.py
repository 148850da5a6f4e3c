"""Public QA datasets as documents plus questions, ready to ingest through the normal path."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

SHARED_DATASETS = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"
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


@dataclass
class EvalDataset:
    name: str
    documents: list[EvalDocument]
    questions: list[EvalQuestion]

    def write(self, directory: Path) -> dict[Path, str]:
        """One Markdown file per document (title in front-matter); returns path -> document key."""
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


def _pairs(value: list | dict, first: str, second: str) -> list[tuple]:  # type: ignore[type-arg]
    """HotpotQA ships as [[a, b], ...] (original) or {first: [...], second: [...]} (Hugging Face)."""
    if isinstance(value, dict):
        return list(zip(value[first], value[second], strict=True))
    return [tuple(pair) for pair in value]
