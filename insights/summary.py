"""Engagement and success indicators: how the community uses its knowledge, and whose helps most."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime

from pydantic import BaseModel

from peerassist import community, query_log
from peerassist.retriever.service import AnswerService
from peerassist.terms import asks_nothing


class DocumentUse(BaseModel):
    doc_id: str
    title: str
    citations: int


class Contributor(BaseModel):
    author: str
    helpful_answers: int  # answers voted helpful that cited this author's documents
    cited_answers: int
    approved_answers: int = 0  # answers to community questions that a facilitator approved


class Summary(BaseModel):
    questions: int
    unique_askers: int
    answer_rate: float | None
    helpful_rate: float | None  # share of votes that were helpful
    median_latency_ms: float | None
    questions_per_day: dict[str, int]
    answer_rate_per_day: dict[str, float]
    questions_per_week: dict[str, int]
    most_cited: list[DocumentUse]
    never_cited: list[DocumentUse]
    tags_asked_about: dict[str, int]  # tags of the documents cited in answers
    tags_never_asked_about: list[str]
    contributors: list[Contributor]


def summarize(service: AnswerService, since: datetime) -> Summary:
    documents = service.view.current().documents
    # Small talk ("hi", "test") is no question of the community's: it counts neither as asked nor as unanswered.
    rows = [r for r in query_log.questions_between(service.index.db, since) if not asks_nothing(r.standalone_question)]
    votes = query_log.votes(service.index.db, (r.id for r in rows))
    cited = Counter(d for r in rows for d in r.cited_docs or [])
    tags_asked = Counter(t for d, n in cited.items() if d in documents for t in _tags(documents[d].meta) for _ in range(n))
    all_tags = {t for r in documents.values() for t in _tags(r.meta)}
    authors = {d: str(r.meta.get("author")) for d, r in documents.items() if (r.meta or {}).get("author")}
    by_author_cited: Counter[str] = Counter()
    by_author_helpful: Counter[str] = Counter()
    for row in rows:  # an answer counts once per author, however many of their documents it cites
        for author in {authors[d] for d in row.cited_docs or [] if d in authors}:
            by_author_cited[author] += 1
            by_author_helpful[author] += bool(votes.get(row.id))
    approved = community.approved_per_author(service.index.db)
    per_day = Counter(_day(r.created_at) for r in rows)
    answered_per_day = Counter(_day(r.created_at) for r in rows if r.answered)
    return Summary(
        questions=len(rows),
        unique_askers=len({r.asker or r.conversation_id for r in rows}),
        answer_rate=_share(sum(r.answered for r in rows), len(rows)),
        helpful_rate=_share(sum(votes.values()), len(votes)),
        median_latency_ms=statistics.median(r.latency_ms for r in rows) if rows else None,
        questions_per_day=dict(sorted(per_day.items())),
        answer_rate_per_day={d: round(answered_per_day[d] / n, 4) for d, n in sorted(per_day.items())},
        questions_per_week=dict(sorted(Counter(r.created_at.strftime("%G-W%V") for r in rows).items())),
        most_cited=sorted(
            (DocumentUse(doc_id=d, title=documents[d].title, citations=n) for d, n in cited.items() if d in documents),
            key=lambda u: (-u.citations, u.title.casefold()),
        )[:10],
        never_cited=sorted(
            (DocumentUse(doc_id=d, title=r.title, citations=0) for d, r in documents.items() if d not in cited),
            key=lambda u: u.title.casefold(),
        ),
        tags_asked_about=dict(tags_asked.most_common()),
        tags_never_asked_about=sorted(all_tags - set(tags_asked)),
        contributors=sorted(
            (
                Contributor(author=a, helpful_answers=by_author_helpful[a], cited_answers=by_author_cited[a], approved_answers=approved[a])
                for a in sorted(set(by_author_cited) | set(approved))
                if by_author_cited[a] or approved[a]
            ),
            key=lambda c: (-c.helpful_answers, -c.approved_answers, -c.cited_answers, c.author),
        ),
    )


def _day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def _tags(meta: dict[str, object] | None) -> list[str]:
    tags = (meta or {}).get("tags") or []
    return [str(t) for t in (tags if isinstance(tags, list) else [tags])]


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
