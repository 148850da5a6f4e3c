"""Conversation review, vote comments in gap topics, stable topics and redaction of old questions."""

from __future__ import annotations

from peerassist import query_log
from peerassist.db import QueryRecord
from peerassist.insights.gaps import topics
from peerassist.retriever.service import AnswerService
from tests.api.conftest import build_api
from tests.insights.conftest import CANTEEN, PARKING, seed
from tests.retriever.conftest import ingest


def test_a_facilitator_reviews_a_question_with_its_answer_votes_and_conversation(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    api = build_api(embedded_settings, kb)
    first = api.client.post("/api/ask", json={"question": "Which room do we meet in?", "client_id": "c1"}, headers=api.headers()).json()
    follow = api.client.post("/api/ask", json={"question": "And on which day?", "client_id": "c1", "conversation_id": first["conversation_id"]},
                             headers=api.headers()).json()
    api.client.post("/api/feedback", json={"query_id": follow["query_id"], "helpful": False, "comment": "I wanted the time too", "client_id": "c1"},
                    headers=api.headers())

    assert api.client.get(f"/api/insights/queries/{follow['query_id']}", headers=api.headers()).status_code == 403
    assert api.client.get("/api/insights/queries/nope", headers=api.headers("facilitator")).status_code == 404
    response = api.client.get(f"/api/insights/queries/{follow['query_id']}", headers=api.headers("facilitator"))

    assert response.status_code == 200
    found = response.json()
    assert found["question"] == "And on which day?" and found["standalone_question"] != found["question"]
    assert found["answer"] == follow["answer"] and found["confidence"] == follow["confidence"]
    assert [c["title"] for c in found["citations"]] == [c["title"] for c in {c["doc_id"]: c for c in follow["citations"]}.values()]
    assert found["votes"] == [{"helpful": False, "comment": "I wanted the time too"}]
    assert [t["question"] for t in found["conversation"]] == ["Which room do we meet in?", "And on which day?"]
    with api.client.app.state.service.index.db.session() as session:
        asker = session.get(QueryRecord, follow["query_id"]).asker
    assert asker and asker not in response.text and '"asker"' not in response.text  # who asked is never shown


def test_topics_carry_vote_comments_and_are_the_same_on_every_load(embedded_settings, kb, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ingest(embedded_settings, kb)
    service = AnswerService(embedded_settings)
    ids = [seed(service, q, days_ago=1, asker=f"p{i}", answered=True, confidence=0.9) for i, q in enumerate(PARKING)]
    for q in CANTEEN:
        seed(service, q, days_ago=2)
    for i, query_id in enumerate(ids):
        query_log.record_vote(service.index.db, query_id, f"p{i}", helpful=False, comment="it told me about meetings, not parking" if i == 0 else None)

    first, second = topics(service), topics(service)

    assert [t.model_dump() for t in first] == [t.model_dump() for t in second]
    parking = next(t for t in first if t.count == len(PARKING))
    assert parking.comments == ["it told me about meetings, not parking"]
    assert len(parking.example_ids) == len(parking.examples) and set(parking.example_ids) <= set(ids)
    from peerassist.insights.digest import build, render_dashboard_body, write_markdown

    digest = build(service, 30)
    assert "it told me about meetings, not parking" in render_dashboard_body(digest)
    report = write_markdown(digest, tmp_path / "digest.md")[0].read_text()
    assert "Members said: “it told me about meetings, not parking”" in report


def test_questions_older_than_the_retention_are_redacted_everywhere(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    ingest(embedded_settings, kb)
    settings = embedded_settings.model_copy(update={"redact_after_days": 7})
    service = AnswerService(settings)
    old = seed(service, "Where can staff park their cars overnight?", days_ago=10, asker="a")
    recent = seed(service, "Is there a staff car park near ward 5A?", days_ago=1, asker="b")
    query_log.record_vote(service.index.db, old, "a", helpful=False, comment="my name is Jane Doe and I work nights")

    found = topics(service, since_days=30)

    assert [e for t in found for e in t.examples] == ["Is there a staff car park near ward 5A?"]
    with service.index.db.session() as session:
        redacted, kept = session.get(QueryRecord, old), session.get(QueryRecord, recent)
        assert (redacted.question, redacted.standalone_question, redacted.answer) == (query_log.REDACTED,) * 3
        assert kept.question == "Is there a staff car park near ward 5A?"
    assert query_log.vote_details(service.index.db, [old])[old][0].comment is None
