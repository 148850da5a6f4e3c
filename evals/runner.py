"""Running a dataset through Peer Assist and scoring what came back.

Each dataset is ingested through the normal ingestion path into its own data dir under
`<data dir>/evals/`, with the current embedding and chunking settings, so an eval measures
exactly the configuration that would serve members.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from peerassist.evals.datasets import EvalDataset, EvalQuestion
from peerassist.evals.metrics import (
    contains_any,
    dedupe,
    hit_at,
    mrr_at,
    ndcg_at,
    normalize,
    percentile,
    recall_at,
    token_f1,
)
from peerassist.ingest.pipeline import Ingestor, doc_id_for
from peerassist.settings import Settings
from peerassist.store import KnowledgeIndex
from peerassist.retriever.confidence import ConfidenceModel
from peerassist.retriever.filters import SearchFilter
from peerassist.retriever.answer_type import QuestionKind
from peerassist.terms import content_terms
from peerassist.retriever.passages import is_restriction, section_units
from peerassist.retriever.service import AnswerService, AskOptions, Considered, compose_text, gives_answer

RETRIEVER_NAMES = ("bm25", "dense", "hybrid")


@dataclass
class Outcome:
    """What one retriever did with one question, before the confidence threshold is applied."""

    question: EvalQuestion
    standalone: str
    ranked_docs: list[str]
    features: dict[str, float]
    answer: str
    cited: list[tuple[str, str]]  # (document key, quoted sentence)
    seconds: float
    confidence: float = 0.0
    answered: bool = False
    # A yes/no question whose source section restricts what it asks: does the answer lead with the restriction?
    leads_with_restriction: bool | None = None
    off_target: bool = False  # refused whatever the confidence (see retriever.service.Considered)

    @property
    def correct(self) -> bool:
        """The composed answer holds a gold answer, or, for member-style questions, at least one required fact."""
        if not self.question.answerable:
            return False
        if self.question.facts:
            return any(contains_any(self.answer, fact) for fact in self.question.facts)
        return bool(contains_any(self.answer, self.question.answers))

    @property
    def complete(self) -> bool:
        """The answer holds every required fact (member-style questions)."""
        return bool(self.question.facts) and all(contains_any(self.answer, fact) for fact in self.question.facts)


@dataclass
class PreparedDataset:
    dataset: EvalDataset
    service: AnswerService
    keys: dict[str, str]  # doc_id -> the dataset's document key
    report: dict[str, int] = field(default_factory=dict)


def eval_settings(settings: Settings, dataset: EvalDataset) -> Settings:
    """An isolated data dir and collection for the dataset, with the serving settings otherwise."""
    origin = str(dataset.corpus_dir or dataset.name)
    slug = f"{dataset.name}-{hashlib.sha256(origin.encode()).hexdigest()[:8]}"
    return settings.model_copy(
        update={"data_dir": settings.data_dir / "evals" / slug, "chroma_url": None, "database_url": None, "collection": "eval"}
    )


def prepare(dataset: EvalDataset, settings: Settings) -> PreparedDataset:
    """Ingest the dataset (incrementally: an unchanged rerun embeds nothing)."""
    isolated = eval_settings(settings, dataset)
    files = dataset.write(isolated.data_dir / "docs")
    roots = [dataset.corpus_dir] if dataset.corpus_dir else [isolated.data_dir / "docs"]
    index = KnowledgeIndex(isolated)
    if index.manifest_mismatch() and index.generation().documents():
        report = Ingestor(index).run(roots, sync=True, rebuild=True)
    else:
        index.adopt_current_manifest()
        report = Ingestor(index).run(roots, sync=True)
    service = AnswerService(isolated, index, log_queries=False, confidence=ConfidenceModel.load())
    return PreparedDataset(
        dataset,
        service,
        {doc_id_for(path): key for path, key in files.items()},
        {"added": report.added, "updated": report.updated, "unchanged": report.unchanged, "failed": len(report.failed)},
    )


def run(prepared: PreparedDataset, questions: list[EvalQuestion], retriever: str) -> list[Outcome]:
    service, keys = prepared.service, prepared.keys
    model = service.index.generation().model
    standalone = [_standalone(service, q) for q in questions]
    vectors = model.embed(standalone)
    outcomes = []
    for question, text, vector in zip(questions, standalone, vectors, strict=True):
        started = time.perf_counter()
        options = AskOptions(retriever=retriever, k=10, filter=SearchFilter(role=question.role))
        considered = service.consider(text, options, vector)
        answer = compose_text(considered.draft)
        seconds = time.perf_counter() - started
        outcomes.append(
            Outcome(
                question=question,
                standalone=text,
                ranked_docs=dedupe([keys.get(str(h.metadata.get("doc_id")), "?") for h in considered.hits]),
                features=considered.features,
                answer=answer,
                cited=[(keys.get(str(c.hit.metadata.get("doc_id")), "?"), c.quote) for c in considered.draft.claims if c.quote],
                seconds=seconds,
                leads_with_restriction=_leads_with_restriction(service, considered),
                off_target=considered.off_target,
            )
        )
    return outcomes


def _leads_with_restriction(service: AnswerService, considered: Considered) -> bool | None:
    """None unless a yes/no question is answered from a section holding a restriction on what it asks.

    An FAQ entry's own question, quoted before its "No." so the "no" is not read as one to the member's
    question, is not the answer's first sentence: the reply after it is."""
    claims = considered.draft.claims
    if claims and claims[0].is_faq_question:
        claims = claims[1:]
    if considered.evidence.kind is not QuestionKind.YES_NO or not claims:
        return None
    asked = content_terms(considered.evidence.question)
    section = section_units(service.view.current().lexical.section_of(claims[0].hit))
    if not any(is_restriction(u.text) and content_terms(u.text) & asked for u in section):
        return None
    return is_restriction(claims[0].text)


def apply_threshold(outcomes: Iterable[Outcome], model: ConfidenceModel) -> None:
    for outcome in outcomes:
        outcome.confidence = model.confidence(outcome.features)
        outcome.answered = gives_answer(model, outcome.confidence, has_claims=bool(outcome.cited), off_target=outcome.off_target)


def _standalone(service: AnswerService, question: EvalQuestion) -> str:
    """The question as retrieval sees it after its conversation's earlier turns."""
    previous = None
    for turn in question.conversation:
        previous = service.rewrite(turn, previous) if previous else turn
    return service.rewrite(question.question, previous) if previous else question.question


def score(outcomes: list[Outcome], has_answers: bool = True) -> dict[str, float | None]:
    """The metric names of ../shared/INTERFACE.md, retrieval judged per document."""
    answerable = [o for o in outcomes if o.question.answerable and o.question.gold_docs]
    metrics = {
        "hit@1": _mean(hit_at(o.ranked_docs, o.question.gold_docs, 1) for o in answerable),
        "hit@5": _mean(hit_at(o.ranked_docs, o.question.gold_docs, 5) for o in answerable),
        "mrr@10": _mean(mrr_at(o.ranked_docs, o.question.gold_docs) for o in answerable),
        "ndcg@10": _mean(ndcg_at(o.ranked_docs, o.question.gold_docs) for o in answerable),
        "recall@10": _mean(_recall(o) for o in answerable),
    }
    if has_answers:
        with_answers = [o for o in outcomes if o.question.answerable]
        unanswerable = [o for o in outcomes if not o.question.answerable]
        refused = [o for o in outcomes if not o.answered]
        cited = [(o, key, quote) for o in with_answers if o.answered for key, quote in o.cited]
        metrics |= {
            "answered_rate": _mean(o.answered for o in with_answers),
            "answer_contains": _mean(o.answered and o.correct for o in with_answers),
            "token_f1": _mean(token_f1(o.answer, o.question.answers) if o.answered else 0.0 for o in with_answers),
            "abstain_recall": _mean(not o.answered for o in unanswerable),
            "abstain_precision": _mean(not o.question.answerable for o in refused),
            "citation_precision": _mean(_supports(o.question, key, quote) for o, key, quote in cited),
            "citation_recall": _mean(_citation_recall(o) for o in with_answers),
        }
    member_style = [o for o in outcomes if o.question.kind]
    if has_answers and member_style:
        with_facts = [o for o in member_style if o.question.facts]
        metrics |= {
            "fact_recall": _mean(o.answered and o.complete for o in with_facts),
            "false_refusal_rate": _mean(not o.answered for o in member_style if o.question.answerable),
            "unanswerable_refused": _mean(not o.answered for o in member_style if not o.question.answerable),
            # Answered yes/no questions whose source restricts what they ask, led by something else.
            "restriction_not_first": _mean(
                not o.leads_with_restriction for o in member_style if o.answered and o.leads_with_restriction is not None
            ),
        }
    metrics |= {
        "latency_p50_ms": percentile([o.seconds * 1000 for o in outcomes], 50),
        "latency_p95_ms": percentile([o.seconds * 1000 for o in outcomes], 95),
    }
    # A metric with nothing to measure (no refusals, say) is None, not a misleading 0.
    return {name: None if math.isnan(value) else round(value, 4) for name, value in metrics.items()}


def failures(outcomes: list[Outcome]) -> list[dict[str, object]]:
    """Questions answered wrongly, answered when they should not be, or refused when answerable."""
    rows = []
    for o in outcomes:
        if o.question.answerable and o.answered and (o.complete if o.question.facts else o.correct):
            continue
        if not o.question.answerable and not o.answered:
            continue
        if o.question.answerable and not (o.question.answers or o.question.facts) and hit_at(o.ranked_docs, o.question.gold_docs, 5):
            continue  # retrieval-only question, found
        rows.append(
            {
                "id": o.question.id,
                "question": o.question.question,
                "standalone": o.standalone,
                "expected": (o.question.facts or o.question.answers) if o.question.answerable else "(refusal)",
                "missing": [f[0] for f in o.question.facts if not contains_any(o.answer, f)] if o.answered else [],
                "expected_sources": sorted(o.question.gold_docs),
                "got": o.answer if o.answered else "(refused)",
                "cited": sorted({key for key, _ in o.cited}) if o.answered else [],
                "confidence": round(o.confidence, 3),
            }
        )
    return rows


def _recall(o: Outcome) -> float:
    return recall_at(o.ranked_docs, o.question.gold_docs, 10)


def _supports(question: EvalQuestion, key: str, quote: str) -> bool:
    """A citation is right when it comes from a gold document and, where gold sentences are known, quotes one."""
    if key not in question.gold_docs:
        return False
    return not question.supporting or any(_same_sentence(quote, gold) for gold in question.supporting)


def _citation_recall(o: Outcome) -> float:
    """Share of the gold support the answer cites: gold sentences where known, else gold documents."""
    if not o.answered:
        return 0.0
    if o.question.supporting:
        quotes = [quote for _, quote in o.cited]
        return _mean(any(_same_sentence(q, gold) for q in quotes) for gold in o.question.supporting)
    cited = {key for key, _ in o.cited}
    if o.question.needs_all:
        return len(cited & o.question.gold_docs) / len(o.question.gold_docs)
    return float(bool(cited & o.question.gold_docs))


def _same_sentence(a: str, b: str) -> bool:
    a, b = normalize(a), normalize(b)
    return bool(a and b) and (a == b or a in b or b in a)


def _mean(values: Iterable[object]) -> float:
    numbers = [float(v) for v in values]  # type: ignore[arg-type]
    return sum(numbers) / len(numbers) if numbers else math.nan

