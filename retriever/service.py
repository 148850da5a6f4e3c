"""Asking a question, end to end: condense, retrieve, score, answer or abstain, log.

One `AnswerService` per process: it keeps the embedding model, sentence vectors and a
read view of the index that follows other processes' ingests.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select

from peerassist.db import QueryRecord
from peerassist.embeddings import get_embedding_model
from peerassist.settings import Settings
from peerassist.store import KnowledgeIndex, SearchHit
from retriever.base import Query, Reranker
from retriever.confidence import ConfidenceModel
from retriever.conversation import condense
from retriever.evidence import EVIDENCE_PASSAGES, Evidence, EvidenceScorer
from retriever.extractive import select_sentences
from retriever.filters import SearchFilter
from retriever.llm import Claim, Draft, LLMAnswerer, chat_model_from
from retriever.retrievers import RETRIEVERS
from retriever.schemas import Answer, Citation, RetrievedPassage, Source
from retriever.sentences import SentenceVectors, as_sentence
from retriever.view import KnowledgeView

log = logging.getLogger(__name__)

NOT_FOUND_TEXT = "I couldn't find this in the community's documents."
RELATED_DOCUMENTS = 3
# Shingle overlap above which two passages count as the same text (a copied section, say).
NEAR_DUPLICATE_JACCARD = 0.8


class QuestionError(ValueError):
    """The question cannot be asked as given; the message says why."""


@dataclass
class AskOptions:
    retriever: str = "hybrid"
    k: int = 5
    filter: SearchFilter = field(default_factory=SearchFilter)
    conversation_id: str | None = None
    asker: str | None = None
    log: bool = True  # False for the system's own questions (onboarding checks), which are not members'


class AnswerService:
    def __init__(
        self,
        settings: Settings,
        index: KnowledgeIndex | None = None,
        *,
        llm: LLMAnswerer | None = None,
        confidence: ConfidenceModel | None = None,
        reranker: Reranker | None = None,
        log_queries: bool = True,
    ) -> None:
        self.settings = settings
        self.index = index or KnowledgeIndex(settings)
        self.view = KnowledgeView(self.index)
        chat_model = None if llm else chat_model_from(settings)
        self.llm = llm or (LLMAnswerer(chat_model) if chat_model else None)
        self.confidence = confidence or ConfidenceModel.load()
        self.reranker = reranker
        self.log_queries = log_queries
        self._scorers: dict[str, EvidenceScorer] = {}

    def ask(self, question: str, options: AskOptions | None = None) -> Answer:
        options = options or AskOptions()
        started = time.perf_counter()
        question = self._check(question, options)
        standalone = self._standalone(question, options.conversation_id)
        evidence, retrieved = self.retrieve(standalone, options)
        confidence = self.confidence.confidence(evidence.features)
        draft, answerer = self._draft(evidence) if self.confidence.answers(confidence) else (Draft(), "extractive")
        answered = bool(draft.claims)
        answer = Answer(
            answer=compose_text(draft.claims) if answered else NOT_FOUND_TEXT,
            answered=answered,
            confidence=round(confidence, 4),
            citations=citations_for(draft.claims),
            retrieved=[_passage(rank, hit) for rank, hit in enumerate(retrieved, start=1)],
            related=[] if answered else related_documents(retrieved),
            conversation_id=options.conversation_id,
            standalone_question=standalone,
            retriever=options.retriever,
            answerer=answerer,
            dropped=draft.dropped,
        )
        answer.query_id = self._log(question, answer, options, time.perf_counter() - started)
        # A first question starts a conversation a follow-up can continue.
        answer.conversation_id = answer.conversation_id or answer.query_id
        return answer

    def retrieve(
        self, question: str, options: AskOptions, vector: np.ndarray | None = None
    ) -> tuple[Evidence, list[SearchHit]]:
        """The passages for a question and the evidence scored from them (`vector`: its embedding, if known)."""
        query, hits = self._search(question, options, vector)
        scorer = self._scorers.get(query.model.model_id) or self._scorers.setdefault(
            query.model.model_id, EvidenceScorer(SentenceVectors(query.model))
        )
        evidence = scorer.gather(question, query.vector, hits, query.snapshot.lexical)
        return evidence, hits[: options.k]

    def search(self, question: str, options: AskOptions, vector: np.ndarray | None = None) -> list[SearchHit]:
        """Only the passages: for callers that need documents, not an answer (no sentence scoring)."""
        return self._search(question, options, vector)[1][: options.k]

    def _search(self, question: str, options: AskOptions, vector: np.ndarray | None) -> tuple[Query, list[SearchHit]]:
        snapshot = self.view.current()
        model = get_embedding_model(str(snapshot.generation.manifest["embedding_model"]), self.settings.embedding_batch_size)
        allowed = options.filter.allowed(snapshot.documents)
        query = Query(question, snapshot, model, None if allowed == set(snapshot.documents) else allowed, vector)
        hits = RETRIEVERS[options.retriever]().retrieve(query, max(options.k, EVIDENCE_PASSAGES) * 2)
        hits = collapse_near_duplicates(hits)
        if self.reranker:
            hits = self.reranker.rerank(question, hits)
        return query, hits

    # --- steps ---------------------------------------------------------------------------

    def _check(self, question: str, options: AskOptions) -> str:
        question = " ".join(question.split())
        if not question:
            raise QuestionError("the question is empty")
        if len(question) > self.settings.max_question_chars:
            raise QuestionError(
                f"the question is {len(question)} characters long; the limit is {self.settings.max_question_chars}"
            )
        if options.retriever not in RETRIEVERS:
            raise QuestionError(f"unknown retriever {options.retriever!r}; expected one of {', '.join(RETRIEVERS)}")
        if options.k < 1:
            raise QuestionError("k must be at least 1")
        return question

    def _standalone(self, question: str, conversation_id: str | None) -> str:
        """The follow-up rewritten against the conversation's previous question."""
        if not conversation_id:
            return question
        with self.index.db.session() as session:
            previous = session.scalars(
                select(QueryRecord.standalone_question)
                .where(QueryRecord.conversation_id == conversation_id)
                .order_by(QueryRecord.created_at.desc())
                .limit(1)
            ).first()
        return self.rewrite(question, previous) if previous else question

    def rewrite(self, question: str, previous: str) -> str:
        """A follow-up made to stand alone: by the LLM when one is reachable, else by the offline rules."""
        if self.llm:
            try:
                return self.llm.condense(question, previous)
            except Exception as exc:  # noqa: BLE001 - any endpoint failure means: do it offline
                log.warning("LLM unreachable for condensing (%s); using the offline rewrite", exc)
        return condense(question, previous)

    def _draft(self, evidence: Evidence) -> tuple[Draft, str]:
        """The LLM's checked answer when one is configured and reachable, else the offline one."""
        if self.llm:
            try:
                draft = self.llm.draft(evidence)
                if draft.claims or draft.not_found:
                    return draft, "llm"
                log.warning("every sentence of the LLM answer failed the check; answering offline")
            except Exception as exc:  # noqa: BLE001 - any endpoint failure means: answer offline
                log.warning("LLM unreachable (%s); answering offline", exc)
        claims = [Claim(text=s.text, hit=s.hit, quote=s.text) for s in select_sentences(evidence)]
        return Draft(claims=claims), "extractive"

    def _log(self, question: str, answer: Answer, options: AskOptions, seconds: float) -> str | None:
        if not (self.log_queries and options.log):
            return None
        query_id = uuid.uuid4().hex
        with self.index.db.session() as session:
            session.add(
                QueryRecord(
                    id=query_id,
                    conversation_id=options.conversation_id or query_id,
                    asker=options.asker,
                    question=question,
                    standalone_question=answer.standalone_question,
                    answer=answer.answer,
                    answered=answer.answered,
                    confidence=answer.confidence,
                    retriever=answer.retriever,
                    answerer=answer.answerer,
                    cited_chunks=[c.chunk_id for c in answer.citations],
                    cited_docs=sorted({c.doc_id for c in answer.citations}),
                    latency_ms=round(seconds * 1000, 1),
                )
            )
        return query_id


def compose_text(claims: list[Claim]) -> str:
    """Each sentence followed by the number of the passage it came from."""
    numbers = _citation_numbers(claims)
    return " ".join(f"{as_sentence(c.text)} [{numbers[c.hit.chunk_id]}]" for c in claims)


def citations_for(claims: list[Claim]) -> list[Citation]:
    """One citation per cited passage, numbered by first use, quoting the sentences used from it."""
    numbers = _citation_numbers(claims)
    quotes: dict[str, list[str]] = {}
    for claim in claims:
        quotes.setdefault(claim.hit.chunk_id, [])
        if claim.quote not in quotes[claim.hit.chunk_id]:
            quotes[claim.hit.chunk_id].append(claim.quote)
    hits = {c.hit.chunk_id: c.hit for c in claims}
    return [
        Citation(n=n, chunk_id=chunk_id, quote=" … ".join(quotes[chunk_id]), **_source(hits[chunk_id]).model_dump())
        for chunk_id, n in numbers.items()
    ]


def related_documents(hits: list[SearchHit]) -> list[Source]:
    """The nearest documents, one entry each, offered as "might help" when not answering."""
    seen: dict[str, Source] = {}
    for hit in hits:
        doc_id = str(hit.metadata.get("doc_id"))
        if doc_id not in seen:
            seen[doc_id] = _source(hit)
        if len(seen) == RELATED_DOCUMENTS:
            break
    return list(seen.values())


def collapse_near_duplicates(hits: list[SearchHit]) -> list[SearchHit]:
    """Keep the best-ranked of passages that say the same thing (copies across documents)."""
    kept: list[tuple[SearchHit, set[tuple[str, ...]]]] = []
    for hit in hits:
        shingles = _shingles(hit.text)
        if any(_jaccard(shingles, other) >= NEAR_DUPLICATE_JACCARD for _, other in kept):
            continue
        kept.append((hit, shingles))
    return [hit for hit, _ in kept]


def _shingles(text: str, size: int = 3) -> set[tuple[str, ...]]:
    words = text.casefold().split()
    return {tuple(words[i : i + size]) for i in range(max(1, len(words) - size + 1))}


def _jaccard(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _citation_numbers(claims: list[Claim]) -> dict[str, int]:
    numbers: dict[str, int] = {}
    for claim in claims:
        numbers.setdefault(claim.hit.chunk_id, len(numbers) + 1)
    return numbers


def _source(hit: SearchHit) -> Source:
    meta = hit.metadata
    page = meta.get("page")
    return Source(
        doc_id=str(meta.get("doc_id", "")),
        title=str(meta.get("title", "")),
        section=str(meta.get("section", "")),
        page=int(page) if page is not None else None,
        source=str(meta.get("source", "")),
    )


def _passage(rank: int, hit: SearchHit) -> RetrievedPassage:
    return RetrievedPassage(rank=rank, chunk_id=hit.chunk_id, score=round(hit.score, 4), quote=hit.text, **_source(hit).model_dump())
