"""The vote prior: the documented formula, its bound, and votes moving a ranking through the service."""

from __future__ import annotations

import pytest

from peerassist import query_log
from peerassist.retriever.service import AnswerService, AskOptions
from peerassist.retriever.vote_prior import VotePrior
from peerassist.store import SearchHit
from tests.retriever.conftest import ingest


def hit(doc: str, score: float) -> SearchHit:
    return SearchHit(chunk_id=f"{doc}-0", text=doc, metadata={"doc_id": doc}, score=score)


def test_the_prior_follows_the_formula_and_never_leaves_its_bound() -> None:
    prior = VotePrior(lambda: {"loved": (1000, 0), "hated": (0, 1000), "one": (1, 0), "split": (5, 5)}, cap=0.5, pseudo_votes=3)

    assert prior.prior("one") == pytest.approx(0.5 * 1 / 4)  # one vote is not much evidence
    assert 0.49 < prior.prior("loved") < 0.5 and -0.5 < prior.prior("hated") < -0.49
    assert prior.prior("split") == 0.0 and prior.prior("unvoted") == 0.0


def test_votes_reorder_close_hits_but_cannot_lift_a_far_weaker_one() -> None:
    prior = VotePrior(lambda: {"b": (1000, 0), "a": (0, 1000), "weak": (1000, 0)}, cap=0.5)

    ranked = prior.rerank([hit("a", 2.0), hit("b", 1.8), hit("weak", 0.5)])

    assert [h.metadata["doc_id"] for h in ranked] == ["b", "a", "weak"]  # within 1.0 of each other: votes decide
    assert ranked[-1].score < 1.5  # +0.5 at most: still below both


def test_members_votes_move_hybrid_ranking_in_the_service(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    ingest(embedded_settings, kb)
    service = AnswerService(embedded_settings)
    question = "How do I join the community and its meetings?"
    before = service.search(question, AskOptions(k=5))
    first, second = (str(h.metadata["doc_id"]) for h in before[:2])
    assert first != second
    for i in range(40):  # members keep voting answers citing the first document down, the second up
        for doc, helpful in ((first, False), (second, True)):
            asked = service.ask(f"{question} ({i} {doc[:4]})", AskOptions(asker=f"m{i}"))
            query_log.settled(service.index.db)
            with service.index.db.session() as session:
                from peerassist.db import QueryRecord

                session.get(QueryRecord, asked.query_id).cited_docs = [doc]
            query_log.record_vote(service.index.db, asked.query_id, f"m{i}", helpful=helpful, comment=None)
    assert query_log.document_votes(service.index.db)[first] == (0, 40)

    fresh = AnswerService(embedded_settings)  # priors are read at most every 30 s per service
    after = fresh.search(question, AskOptions(k=5))
    assert fresh.vote_prior.prior(first) < 0 < fresh.vote_prior.prior(second)
    was = {h.chunk_id: h.score for h in before}
    moved = [h for h in after if h.chunk_id in was]
    assert moved and all(
        h.score == pytest.approx(was[h.chunk_id] + fresh.vote_prior.prior(str(h.metadata["doc_id"]))) for h in moved
    )
    assert [h.score for h in after] == sorted((h.score for h in after), reverse=True)
    assert fresh.search(question, AskOptions(k=5, retriever="bm25"))[0].metadata["doc_id"] == service.search(
        question, AskOptions(k=5, retriever="bm25"))[0].metadata["doc_id"]  # hybrid only
