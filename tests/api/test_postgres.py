"""The records (registry, keys, query log, votes, eval history) in a real PostgreSQL, by URL."""

from __future__ import annotations

from sqlalchemy import select

from peerassist.evals import history
from peerassist.db import Database, Feedback, QueryRecord
from tests.api.conftest import build_api


def test_api_and_records_work_on_postgresql(embedded_settings, kb, postgres_url) -> None:  # type: ignore[no-untyped-def]
    settings = embedded_settings.model_copy(update={"database_url": postgres_url})
    assert settings.sqlalchemy_url.startswith("postgresql+psycopg://")
    api = build_api(settings, kb)
    answer = api.client.post("/api/ask", json={"question": "Which room do we meet in?", "client_id": "c"},
                             headers=api.headers()).json()
    assert answer["answered"] and "Room 4B" in answer["answer"]
    vote = {"query_id": answer["query_id"], "helpful": True, "client_id": "c"}
    assert api.client.post("/api/feedback", json=vote, headers=api.headers()).status_code == 200
    for doc_id in api.restricted:
        assert api.client.get(f"/api/documents/{doc_id}", headers=api.headers()).status_code == 404

    db = Database(postgres_url)
    with db.session() as session:
        row = session.get(QueryRecord, answer["query_id"])
        assert row is not None and row.answered and row.cited_docs == [answer["citations"][0]["doc_id"]]
        assert session.scalars(select(Feedback.helpful)).all() == [True]
    history.record(db, settings, "golden", 1, {"hybrid": {"ndcg@10": 0.5}}, {"hybrid": []})
    assert [r.runs for r in history.history(db)] == [{"hybrid": {"ndcg@10": 0.5}}]
