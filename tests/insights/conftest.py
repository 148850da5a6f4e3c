"""A query log seeded with known gap topics, written straight to the database."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

from peerassist.db import Feedback, QueryRecord, utcnow
from peerassist.retriever.service import AnswerService

PARKING = ["Where can staff park their cars?", "Is there a staff car park?", "How do I get a parking permit for the car park?",
           "Where is parking for staff on night shift?"]
CANTEEN = ["What time does the staff canteen open?", "Is the canteen open at weekends?", "Does the canteen serve vegetarian food?"]
WIFI = ["How do I connect my laptop to the guest wifi?", "What is the wifi password for visitors?"]


def seed(service: AnswerService, question: str, *, days_ago: float, answered: bool = False, confidence: float = 0.05,
         asker: str = "a1", cited: Sequence[str] = ()) -> str:
    query_id = uuid.uuid4().hex
    with service.index.db.session() as session:
        session.add(QueryRecord(
            id=query_id, conversation_id=query_id, asker=asker, question=question, standalone_question=question,
            answer="", answered=answered, confidence=confidence, retriever="hybrid", answerer="extractive",
            cited_chunks=[], cited_docs=list(cited), latency_ms=10.0, created_at=utcnow() - timedelta(days=days_ago),
        ))
    return query_id

# Member-written text that must reach a page as text, never as markup.
HOSTILE = "<script>window.__xss=1</script> Where is the <img src=x onerror=window.__xss=1> bike shed | **now**?"


def seed_digest_log(service: AnswerService) -> dict[str, list[str]]:
    """Two gap topics, a hostile question and answered noise; returns each topic's query ids."""
    ids = {
        "parking": [seed(service, q, days_ago=1 + i, asker=f"p{i}") for i, q in enumerate(PARKING)],
        "canteen": [seed(service, q, days_ago=3, asker="c") for q in CANTEEN],
        "hostile": [seed(service, HOSTILE, days_ago=2, asker="h")],
    }
    documents = service.view.current().documents
    charter = next(d for d, r in documents.items() if r.title == "Charter")
    for q in ["Which room do we meet in?", "How do I join?"]:
        answered = seed(service, q, days_ago=1, answered=True, confidence=0.95, asker="m", cited=[charter])
        with service.index.db.session() as session:
            session.add(Feedback(query_id=answered, asker="m", helpful=True))
    return ids
