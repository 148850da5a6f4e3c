"""Engagement figures from a seeded query log, checked by hand."""

from __future__ import annotations

from datetime import timedelta

from peerassist.insights.summary import summarize
from peerassist.db import Feedback, QueryRecord, utcnow
from peerassist.retriever.service import AnswerService
from tests.retriever.conftest import ingest


def test_engagement_summary_by_hand(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    ingest(embedded_settings, kb)
    service = AnswerService(embedded_settings)
    docs = {r.title: d for d, r in service.view.current().documents.items()}
    charter, faq = docs["Charter"], docs["FAQ"]
    rows = [  # (id, asker, answered, cited, latency, days ago, vote)
        ("q1", "a", True, [charter], 10.0, 1, True),
        ("q2", "b", True, [charter, faq], 30.0, 1, True),
        ("q3", "b", False, [], 20.0, 2, None),
        ("q4", "c", True, [faq], 40.0, 9, False),
        ("q5", "d", True, [faq], 50.0, 60, True),  # outside the period
    ]
    with service.index.db.session() as session:
        for qid, asker, answered, cited, latency, days, vote in rows:
            session.add(QueryRecord(id=qid, conversation_id=qid, asker=asker, question="When?", standalone_question="When do we meet?",
                                    answer="", answered=answered, confidence=0.5, retriever="hybrid", answerer="extractive",
                                    cited_chunks=[], cited_docs=cited, latency_ms=latency,
                                    created_at=utcnow() - timedelta(days=days)))
            if vote is not None:
                session.add(Feedback(query_id=qid, asker=asker, helpful=vote))
        session.add(QueryRecord(id="hi", conversation_id="hi", asker="e", question="hi!", standalone_question="hi!",
                                answer="", answered=False, confidence=0.0, retriever="hybrid", answerer="extractive",
                                cited_chunks=[], cited_docs=[], latency_ms=5.0, created_at=utcnow() - timedelta(days=1)))
    s = summarize(service, utcnow() - timedelta(days=30))  # (the small talk counts for nothing)
    assert (s.questions, s.unique_askers, s.answer_rate) == (4, 3, 0.75)
    assert s.helpful_rate == round(2 / 3, 4) and s.median_latency_ms == 25.0
    assert sum(s.questions_per_day.values()) == 4 and len(s.questions_per_day) == 3
    assert [(u.title, u.citations) for u in s.most_cited] == [("Charter", 2), ("FAQ", 2)]
    assert "Glossary" in {u.title for u in s.never_cited} and "Charter" not in {u.title for u in s.never_cited}
    assert s.tags_asked_about == {"test": 4}
    # write_md gives every document the author "Test Author": 2 helpful answers cited them, 3 answers did.
    assert [(c.author, c.helpful_answers, c.cited_answers) for c in s.contributors] == [("Test Author", 2, 3)]


def test_summary_endpoint_is_for_facilitators(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    from tests.api.conftest import build_api

    api = build_api(embedded_settings, kb)
    api.client.post("/api/ask", json={"question": "Which room do we meet in?"}, headers=api.headers())
    assert api.client.get("/api/insights/summary", headers=api.headers()).status_code == 403
    summary = api.client.get("/api/insights/summary?since=7d", headers=api.headers("facilitator")).json()
    assert summary["questions"] == 1 and summary["answer_rate"] == 1.0
    assert summary["most_cited"][0]["title"] == "Charter"
