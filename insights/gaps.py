"""Knowledge gaps: the questions the documents could not answer, grouped by meaning.

A gap candidate is a query that was unanswered, answered with low confidence, or voted
unhelpful. Candidates are clustered on their embeddings (scikit-learn's agglomerative
clustering, cosine distance), labelled by their most distinctive words, and compared with
the previous period. `recheck` re-asks open gap questions after new documents arrive and
records the ones now answered with confidence, and by which document. Questions a facilitator
has marked handled (`mark_handled`) are no longer gaps; new questions on the topic bring it back.
"""

from __future__ import annotations

import string
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from pydantic import BaseModel
from sqlalchemy import select

from peerassist.db import Feedback, GapHandled, GapResolution, QueryRecord, utcnow
from peerassist.embeddings import get_embedding_model
from retriever.filters import SearchFilter
from retriever.lexical import content_terms
from retriever.schemas import Source
from retriever.service import AnswerService, AskOptions, related_documents

# Answered, but with a confidence this close to the threshold, still counts as a gap.
LOW_CONFIDENCE_MARGIN = 0.1
# Questions closer than this (cosine distance) fall in one topic.
TOPIC_DISTANCE = 0.6
EXAMPLES = 5


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


@dataclass
class Candidate:
    query: QueryRecord
    reasons: list[str] = field(default_factory=list)


def candidates(service: AnswerService, since: datetime, until: datetime | None = None) -> list[Candidate]:
    until = until or utcnow()
    low = service.confidence.threshold + LOW_CONFIDENCE_MARGIN
    with service.index.db.session() as session:
        rows = session.scalars(
            select(QueryRecord).where(QueryRecord.created_at >= since, QueryRecord.created_at < until)
        ).all()
        unhelpful = set(session.scalars(select(Feedback.query_id).where(Feedback.helpful.is_(False))))
        handled = set(session.scalars(select(GapHandled.query_id)))
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
    model = get_embedding_model(service.settings.embedding_model, service.settings.embedding_batch_size)
    vectors = model.embed([c.query.standalone_question for c in everything])
    labels = _cluster(vectors)
    with service.index.db.session() as session:
        resolved = {r.query_id: r for r in session.scalars(select(GapResolution))}
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(int(label), []).append(i)
    result = []
    for members in groups.values():
        now_members = [everything[i] for i in members if i < len(current)]
        if not now_members:
            continue
        before = sum(1 for i in members if i >= len(current))
        questions = [c.query.standalone_question for c in now_members]
        label = _label(questions, [c.query.standalone_question for c in current])
        centre = vectors[members].mean(axis=0)
        closed = [resolved[c.query.id] for c in now_members if c.query.id in resolved]
        result.append(
            GapTopic(
                label=label,
                count=len(now_members),
                askers=len({c.query.asker or c.query.conversation_id for c in now_members}),
                previous_count=before,
                trend=_trend(len(now_members), before),
                examples=list(dict.fromkeys(c.query.question for c in now_members))[:EXAMPLES],
                nearest_documents=_nearest(service, questions[0], centre),
                suggested_title=f"{label.split(', ')[0].capitalize()}: a guide for members",
                resolved=len(closed),
                resolved_by=sorted({r.resolved_title for r in closed}),
                query_ids=[c.query.id for c in now_members],
            )
        )
    return sorted(result, key=lambda t: (-t.count, t.label))


def recheck(service: AnswerService) -> list[GapResolution]:
    """Re-ask every open gap question; record those now answered with confidence."""
    with service.index.db.session() as session:
        done = set(session.scalars(select(GapResolution.query_id)))
    open_gaps = [c for c in candidates(service, datetime.min.replace(tzinfo=utcnow().tzinfo)) if c.query.id not in done]
    newly = []
    for candidate in open_gaps:
        answer = service.ask(candidate.query.standalone_question, AskOptions(filter=SearchFilter(role="member"), log=False))
        if answer.answered and answer.citations and answer.confidence >= service.confidence.threshold + LOW_CONFIDENCE_MARGIN:
            newly.append(GapResolution(
                query_id=candidate.query.id, resolved_by=answer.citations[0].doc_id,
                resolved_title=answer.citations[0].title, confidence=answer.confidence,
            ))
    with service.index.db.session() as session:
        session.add_all(newly)
    return newly


def mark_handled(service: AnswerService, query_ids: list[str], handled_by: str, note: str | None = None) -> int:
    """Take these questions off the gap list; a KeyError names any id that is not a logged question."""
    wanted = set(query_ids)
    with service.index.db.session() as session:
        known = set(session.scalars(select(QueryRecord.id).where(QueryRecord.id.in_(wanted))))
        if missing := wanted - known:
            raise KeyError(f"no such question: {', '.join(sorted(missing))}")
        already = set(session.scalars(select(GapHandled.query_id).where(GapHandled.query_id.in_(wanted))))
        session.add_all(GapHandled(query_id=q, handled_by=handled_by, note=note) for q in sorted(wanted - already))
    return len(wanted - already)


def _cluster(vectors: np.ndarray) -> np.ndarray:
    if len(vectors) == 1:
        return np.zeros(1, dtype=int)
    from sklearn.cluster import AgglomerativeClustering

    return AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=TOPIC_DISTANCE
    ).fit_predict(vectors)


def _label(questions: list[str], all_questions: list[str]) -> str:
    """The topic's most distinctive words: frequent in it, rare across all gap questions."""
    inside = Counter(t for q in questions for t in content_terms(q))
    overall = Counter(t for q in all_questions for t in content_terms(q))
    words = {t: q for q in questions for t in content_terms(q)}
    scored = sorted(inside, key=lambda t: (-inside[t] * np.log(1 + len(all_questions) / overall[t]), t))
    return ", ".join(_surface(t, words[t]) for t in scored[:3]) or "misc"


def _surface(stem: str, question: str) -> str:
    """The word as the asker wrote it, not its stem."""
    for word in question.replace("?", " ").split():
        if content_terms(word) == {stem}:
            return word.strip(string.punctuation).lower()
    return stem


def _trend(now: int, before: int) -> str:
    if before == 0:
        return "new"
    if now > before * 1.25:
        return "rising"
    return "falling" if now < before * 0.8 else "steady"


def _nearest(service: AnswerService, question: str, centre: np.ndarray) -> list[Source]:
    """Documents that partly cover the topic: what a writer should read first."""
    _, hits = service.retrieve(question, AskOptions(filter=SearchFilter(role="member")), centre / (np.linalg.norm(centre) or 1))
    return related_documents(hits)
