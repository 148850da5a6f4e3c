"""Knowledge gaps: the questions the documents could not answer, grouped by meaning.

A gap candidate is a query that was unanswered, answered with low confidence, or voted
unhelpful. Candidates are clustered on their embeddings (scikit-learn's agglomerative
clustering, cosine distance), labelled by their most distinctive words, and compared with
the previous period. `recheck` re-asks open gap questions after new documents arrive and
records the ones now answered with confidence, and by which document. Questions a facilitator
has marked handled (`mark_handled`) are no longer gaps; new questions on the topic bring it back.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache

import numpy as np
from pydantic import BaseModel

from peerassist import query_log
from peerassist.db import GapResolution, QueryRecord, utcnow
from peerassist.embeddings import EmbeddingModel, embedding_model_for
from peerassist.nlp import noun_phrases
from peerassist.retriever.filters import SearchFilter
from peerassist.terms import asks_nothing, content_terms
from peerassist.retriever.schemas import Answer, Citation, Source
from peerassist.sentences import SentenceVectors
from peerassist.insights.experts import Expert, experts
from peerassist.insights.per_version import PerVersion
from peerassist.retriever.service import AnswerService, AskOptions, related_documents, source_of
from peerassist.store import SearchHit

# Answered, but with a confidence this close to the threshold, still counts as a gap.
LOW_CONFIDENCE_MARGIN = 0.1
# Questions closer than this (cosine distance, average linkage) fall in one topic. 0.7 groups
# SQuAD questions by article better (evals/bench_insights.py: ARI 0.17 -> 0.31) but merges
# "staff parking" with "staff canteen" questions in a small log; a false merge hides a gap.
TOPIC_DISTANCE = 0.6
EXAMPLES = 5
QUESTION_VECTORS_KEPT = 50_000
KEY_TERMS = 5  # a topic's distinctive words: its label phrase must hold them
LIKELY_ANSWER_SIMILARITY = 0.65  # see _likely_answer
# The largest topics get experts and the answer-exists check (a search and a question each): a
# dashboard reads from the top, and 125 small topics cost 12 s cold (bench_insights) with all of them.
ENRICHED_TOPICS = 30
_ASKED_AGAIN = PerVersion()  # a topic's question asked again: the same answer until the documents change
TITLE_SOURCES = 3  # questions whose noun phrases are tried for the suggested title
LEADING_DETERMINERS = re.compile(r"^(?:(?:the|a|an|my|our|your|their|his|her|its|this|that|these|those|some|any)\s+)+", re.IGNORECASE)


class GapTopic(BaseModel):
    label: str
    count: int
    askers: int
    previous_count: int
    trend: str  # rising | falling | steady | new
    examples: list[str]
    nearest_documents: list[Source]
    suggested_title: str
    resolved: int
    resolved_by: list[str]
    query_ids: list[str]  # what "mark as handled" sends back
    example_ids: list[str] = []  # the logged question behind each example (for conversation review)
    comments: list[str] = []  # what members wrote when they voted its answers unhelpful
    experts: list[Expert] = []  # who might know (insights.experts)
    # "Answer exists, not found": a document very close to the questions, yet they were refused or
    # voted down. A retrieval or wording problem to fix, not a document to write.
    answer_exists: bool = False
    likely_document: Source | None = None


@dataclass
class Candidate:
    query: QueryRecord
    reasons: list[str] = field(default_factory=list)


def apply_retention(service: AnswerService) -> int:
    """Redact questions older than PEERASSIST_REDACT_AFTER_DAYS (run before anything shows questions)."""
    days = service.settings.redact_after_days
    return query_log.redact_before(service.index.db, utcnow() - timedelta(days=days)) if days else 0


def candidates(service: AnswerService, since: datetime, until: datetime | None = None) -> list[Candidate]:
    until = until or utcnow()
    apply_retention(service)
    low = service.confidence.threshold + LOW_CONFIDENCE_MARGIN
    rows = [
        r for r in query_log.questions_between(service.index.db, since, until)
        if r.question != query_log.REDACTED and not asks_nothing(r.standalone_question)  # "hi", "test": no gap
    ]
    unhelpful = query_log.unhelpful_ids(service.index.db)
    handled = query_log.handled_ids(service.index.db)
    found = []
    for row in rows:
        if row.id in handled:
            continue
        reasons = [r for r, hit in (
            ("unanswered", not row.answered), ("low confidence", row.answered and row.confidence < low),
            ("voted unhelpful", row.id in unhelpful)) if hit]
        if reasons:
            found.append(Candidate(row, reasons))
    return found


def topics(service: AnswerService, since_days: int = 30) -> list[GapTopic]:
    """Gap topics of the last `since_days`, largest first, with the trend against the period before."""
    now = utcnow()
    current = candidates(service, now - timedelta(days=since_days), now)
    previous = candidates(service, now - timedelta(days=2 * since_days), now - timedelta(days=since_days))
    if not current:
        return []
    everything = current + previous
    vectors = _question_vectors(embedding_model_for(service.settings)).embed(
        [c.query.standalone_question for c in everything]
    )
    labels = _cluster(vectors)
    resolved = query_log.resolutions(service.index.db)
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(int(label), []).append(i)
    result: list[GapTopic] = []
    details: list[tuple[list[SearchHit], str, Candidate, list[str]]] = []
    for members in groups.values():
        now_members = [everything[i] for i in members if i < len(current)]
        if not now_members:
            continue
        before = sum(1 for i in members if i >= len(current))
        questions = [c.query.standalone_question for c in now_members]
        terms = _key_terms(questions, [c.query.standalone_question for c in current])
        phrase = _phrase(questions, terms)
        label = phrase.lower() if phrase else ", ".join(_surface(t, questions) for t in terms[:3]) or "misc"
        centre = vectors[members].mean(axis=0)
        hits = _nearest_hits(service, questions[0], centre)
        closed = [resolved[c.query.id] for c in now_members if c.query.id in resolved]
        examples = list({c.query.question: c for c in now_members}.values())[:EXAMPLES]
        result.append(
            GapTopic(
                label=label,
                count=len(now_members),
                askers=len({c.query.asker or c.query.conversation_id for c in now_members}),
                previous_count=before,
                trend=_trend(len(now_members), before),
                examples=[c.query.question for c in examples],
                example_ids=[c.query.id for c in examples],
                comments=_comments(service, now_members),
                nearest_documents=related_documents(hits),
                suggested_title=_suggested_title(phrase, terms, questions),
                resolved=len(closed),
                resolved_by=sorted({r.resolved_title for r in closed}),
                query_ids=[c.query.id for c in now_members],
            )
        )
        details.append((hits, phrase, now_members[0], questions))
    order = sorted(range(len(result)), key=lambda i: (-result[i].count, result[i].label))
    for rank, i in enumerate(order):
        if rank < ENRICHED_TOPICS:
            _enrich(service, result[i], *details[i])
    return [result[i] for i in order]


def _enrich(service: AnswerService, topic: GapTopic, hits: list[SearchHit], phrase: str, first: Candidate, questions: list[str]) -> None:
    """Who might know, and whether the answer already exists (then nothing needs writing: a retrieval problem)."""
    topic.experts = experts(service, " ".join(dict.fromkeys(questions[:EXAMPLES])))
    likely = _likely_answer(service, hits, phrase, first)
    if likely is not None:
        topic.answer_exists, topic.likely_document, topic.suggested_title = True, likely, ""


def recheck(service: AnswerService) -> list[GapResolution]:
    """Re-ask every open gap question; record those now answered with confidence **from a document
    that is new or changed since the question was asked**. The same old answer again (a voted-down
    one, say) resolves nothing: resolution is earned by what was written for it."""
    done = set(query_log.resolutions(service.index.db))
    open_gaps = [c for c in candidates(service, datetime.min.replace(tzinfo=utcnow().tzinfo)) if c.query.id not in done]
    newly = []
    for candidate in open_gaps:
        answer, changed, _ = _asked_again(service, candidate)
        if answer is not None and changed:
            newly.append(GapResolution(
                query_id=candidate.query.id, resolved_by=changed[0].doc_id, resolved_title=changed[0].title,
                confidence=answer.confidence,
            ))
    query_log.add_resolutions(service.index.db, newly)
    return newly


def _asked_again(service: AnswerService, candidate: Candidate) -> tuple[Answer | None, list[Citation], list[Citation]]:
    """The question asked now (once per index version; None if it no longer passes the checks) and, if
    answered with confidence, its citations split into documents new or changed since it was asked and
    documents that were already there."""
    question = candidate.query.standalone_question
    answer = _ASKED_AGAIN.get(service, question, lambda: service.ask_again(question))
    if answer is None or not (answer.answered and answer.confidence >= service.confidence.threshold + LOW_CONFIDENCE_MARGIN):
        return answer, [], []
    documents, asked = service.view.current().documents, _aware(candidate.query.created_at)
    cited = [c for c in answer.citations if c.doc_id in documents]
    changed = [c for c in cited if _aware(documents[c.doc_id].updated_at) > asked]
    return answer, changed, [c for c in cited if c not in changed]


def _comments(service: AnswerService, members: list[Candidate]) -> list[str]:
    votes = query_log.vote_details(service.index.db, (c.query.id for c in members))
    said = (v.comment.strip() for vs in votes.values() for v in vs if not v.helpful and v.comment and v.comment.strip())
    return list(dict.fromkeys(said))[:EXAMPLES]


def _aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back without their zone; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def mark_handled(service: AnswerService, query_ids: list[str], handled_by: str, note: str | None = None) -> int:
    """Take these questions off the gap list; a KeyError names any id that is not a logged question."""
    return query_log.mark_handled(service.index.db, query_ids, handled_by, note)


def unmark_handled(service: AnswerService, query_ids: list[str]) -> int:
    """Undo `mark_handled`: these questions count as gaps again."""
    return query_log.unmark_handled(service.index.db, query_ids)


@cache
def _question_vectors(model: EmbeddingModel) -> SentenceVectors:
    """Logged questions never change: a dashboard reload embeds only the new ones."""
    return SentenceVectors(model, capacity=QUESTION_VECTORS_KEPT)


def _cluster(vectors: np.ndarray) -> np.ndarray:
    if len(vectors) == 1:
        return np.zeros(1, dtype=int)
    from sklearn.cluster import AgglomerativeClustering

    return AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=TOPIC_DISTANCE
    ).fit_predict(vectors)


def _key_terms(questions: list[str], all_questions: list[str]) -> list[str]:
    """The topic's most distinctive word stems: frequent in it, rare across all gap questions."""
    inside = Counter(t for q in questions for t in content_terms(q))
    overall = Counter(t for q in all_questions for t in content_terms(q))
    return sorted(inside, key=lambda t: (-inside[t] * np.log(1 + len(all_questions) / overall[t]), t))[:KEY_TERMS]


def _surface(stem: str, questions: list[str]) -> str:
    """The word as an asker wrote it, not its stem."""
    for question in questions:
        for word in question.split():
            if content_terms(word) == {stem}:
                return word.strip(string.punctuation).lower()
    return stem


def _phrase(questions: list[str], terms: list[str]) -> str:
    """The askers' own noun phrase that holds most of the topic's key words ("staff car park"), or "".

    Ties go to the shorter phrase, then the alphabetically first, so the same log always gives the same label.
    """
    weight = {t: len(terms) - i for i, t in enumerate(terms)}
    parsed = [_trim(LEADING_DETERMINERS.sub("", p), weight) for q in questions[:TITLE_SOURCES] for p in noun_phrases(q)]
    # Every run of words inside a parsed phrase: the small parser's "canteen serve" still offers "canteen".
    phrases = list(dict.fromkeys(" ".join(w[i:j]) for p in parsed for w in (p.split(),) for i in range(len(w)) for j in range(i + 1, len(w) + 1)))
    asked = [f" {' '.join(q.casefold().replace('?', ' ').split())} " for q in questions]
    used = {p: sum(f" {p.casefold()} " in q for q in asked) for p in phrases}
    score = {p: sum(weight.get(t, 0) for t in content_terms(p)) for p in phrases}
    # Key-word weight times how many questions use the phrase: "canteen" (in 3 questions) beats "canteen serve" (1).
    best = min(phrases, key=lambda p: (-score[p] * used[p], len(p), p.casefold()), default="")
    return best if best and score[best] else ""


def _suggested_title(phrase: str, terms: list[str], questions: list[str]) -> str:
    subject = phrase or (_surface(terms[0], questions) if terms else "This topic")
    return f"{subject[:1].upper()}{subject[1:]}: a guide for members"


def _likely_answer(service: AnswerService, hits: list[SearchHit], phrase: str, first: Candidate) -> Source | None:
    """The document that probably holds the answer the members did not get, if there is one.

    - Asked again now, the topic's first question is answered with confidence from a document
      that already existed when it was asked: the answer was there and was not given.
    - A document is titled with the topic's own phrase: the suggestion would name a document that exists.
    - The closest passage is that close to the questions: measured on the golden member-style
      questions, similarity at least 0.65 for 30 % of answerable ones and only 6 % of
      unanswerable ones (0.60: 52 % and 17 %), so a flag is more often right than wrong.
    """
    if "unanswered" in first.reasons:
        _, _, already_there = _asked_again(service, first)
        if already_there:
            return Source.model_validate(already_there[0].model_dump(include=set(Source.model_fields)))
    documents = service.view.current().documents
    titled = next((doc_id for doc_id, r in documents.items() if phrase and r.title.casefold() == phrase.casefold()), None)
    if titled is not None:
        near = next((h for h in hits if h.metadata.get("doc_id") == titled), None)
        return source_of(near) if near else Source(doc_id=titled, title=documents[titled].title, section="", page=None, source="")
    best = max(hits, key=lambda h: h.signals.get("dense", 0.0), default=None)
    return source_of(best) if best is not None and best.signals.get("dense", 0.0) >= LIKELY_ANSWER_SIMILARITY else None


def _trim(phrase: str, key: dict[str, int]) -> str:
    """Drop trailing words that are not key words (a misparse like "canteen serve" -> "canteen")."""
    words = phrase.split()
    while len(words) > 1 and not content_terms(words[-1]) & key.keys():
        words.pop()
    return " ".join(words)


def _trend(now: int, before: int) -> str:
    if before == 0:
        return "new"
    if now > before * 1.25:
        return "rising"
    return "falling" if now < before * 0.8 else "steady"


def _nearest_hits(service: AnswerService, question: str, centre: np.ndarray) -> list[SearchHit]:
    """Passages nearest the topic's centre: their documents are what a writer should read first."""
    return service.search(question, AskOptions(filter=SearchFilter(role="member")), centre / (np.linalg.norm(centre) or 1))
